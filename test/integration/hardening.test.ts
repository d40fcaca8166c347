// The public endpoint under abuse: operation limits, rate limits, WebSocket limits,
// HTTP rules, the GraphQL-over-HTTP audit, and a catalogue of bad inputs. Each must end
// in a clear refusal, never a crash, a hang, a leak of internals or a change of data.

import { serverAudits } from 'graphql-http';
import { CloseCode } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashToken } from '../../src/auth/tokens.ts';
import { type App, CSRF_HEADER, createApp } from '../../src/server/app.ts';
import { DEFAULT_LIMITS } from '../../src/server/limits.ts';
import { RATE_LIMITED_CLOSE_CODE } from '../../src/server/websocket.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';
import { executeOverWebSocket, subscribeOverWebSocket, waitUntil } from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';

interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const INGEST =
  'mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { outcome article { id } } }';

/** Table sizes: what "stored data did not change" is checked against. */
async function storedState(api: TestApi) {
  const p = api.db.prisma;
  return {
    articles: await p.article.count(),
    actors: await p.actor.count(),
    mentions: await p.mention.count(),
    links: await p.relatedLink.count(),
    sources: await p.sourceDocument.count(),
    trends: await p.trendEvent.count(),
  };
}

function closeCodeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.on('close', (code) => resolve(code)));
}

for (const target of await testTargets()) {
  describe(`the hardened endpoint on ${target}`, () => {
    let api: TestApi;
    let url: string;
    let token: string;
    const post = async (body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
    };
    const query = (source: string, variables?: Record<string, unknown>) => post({ query: source, variables });

    beforeAll(async () => {
      api = await createTestApi(target);
      url = `http://localhost:${await api.app.start(0)}/graphql`;
      token = await api.editorToken();
    });
    afterAll(async () => api.close());

    describe('operation limits', () => {
      it('refuses a query deeper than 12', async () => {
        const deep = `{ articles(first: 1) { edges { node { actors(first: 1) { edges { node { articles(first: 1) { edges { node {
          actors(first: 1) { edges { node { articles(first: 1) { edges { node { title } } } } } } } } } } } } } } } }`;
        const { body } = await query(deep);
        expect(body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/i);
        expect(body.errors?.[0]?.extensions?.code).toBe('DEPTH_LIMIT_EXCEEDED');
        expect(body.data ?? null).toBeNull();
      });

      it('refuses more than 30 aliases', async () => {
        const aliases = Array.from({ length: 31 }, (_, n) => `a${n}: categories { slug }`).join(' ');
        const { body } = await query(`{ ${aliases} }`);
        expect(body.errors?.[0]?.message).toMatch(/aliases limit of 30 exceeded/i);
        expect(body.errors?.[0]?.extensions?.code).toBe('ALIAS_LIMIT_EXCEEDED');
      });

      it('refuses more than 50 directives', async () => {
        const directives = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
        const { body } = await query(`{ categories { slug ${directives} } }`);
        expect(body.errors?.[0]?.message).toMatch(/directives limit of 50 exceeded/i);
        expect(body.errors?.[0]?.extensions?.code).toBe('DIRECTIVE_LIMIT_EXCEEDED');
      });

      it('refuses more than 3000 tokens, and a document over 20 KB', async () => {
        const tokens = await query(
          `{ ${Array.from({ length: 1600 }, () => 'categories { slug }').join(' ')} }`.slice(0, 19_000),
        );
        expect(tokens.body.errors?.[0]?.message).toMatch(/token limit of 3000 exceeded/i);
        expect(tokens.body.errors?.[0]?.extensions?.code).toBe('TOKEN_LIMIT_EXCEEDED');
        const large = await query(`{ categories { slug } } # ${'x'.repeat(21 * 1024)}`);
        expect(large.status).toBe(413);
        expect(large.body.errors?.[0]?.message).toMatch(/document is \d+ bytes; the limit is 20480/);
      });

      it('refuses an operation over the cost limit before executing it, naming its cost', async () => {
        const { body } = await query(`{ articles(first: 100) { edges { node { actors(first: 100) { edges { node {
          articles(first: 100) { edges { node { title } } } } } } } } } }`);
        expect(body.errors?.[0]?.extensions).toMatchObject({
          code: 'COST_LIMIT_EXCEEDED',
          maxCost: DEFAULT_LIMITS.maxCost,
        });
        expect(body.errors?.[0]?.message).toMatch(/Operation cost \d+ exceeds the limit of 25000/);
        expect(body.errors?.[0]?.extensions?.cost).toBeGreaterThan(1_000_000);
        const reference =
          await query(`{ articles(first: 100) { totalCount edges { node { title publishedAt category { name }
          actors(first: 10) { edges { mentionCount node { name kind } } }
          related(first: 5) { edges { node { kind target { title category { name } } } } } } } } }`);
        expect(reference.body.errors).toBeUndefined();
      });

      it('refuses batched requests', async () => {
        const { status, body } = await post([
          { query: '{ categories { slug } }' },
          { query: '{ categories { slug } }' },
        ]);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(Array.isArray(body)).toBe(false);
      });
    });

    describe('bad input', () => {
      it('answers a fragment cycle with a validation error', async () => {
        const { body } = await query(
          'query { categories { ...A } } fragment A on Category { ...B } fragment B on Category { ...A }',
        );
        expect(body.errors?.[0]?.message).toMatch(/Cannot spread fragment "A" within itself/);
      });

      it('refuses first: -1, first: 1e9 and unknown enum values clearly', async () => {
        const negative = await query('query($n: Int) { articles(first: $n) { totalCount } }', { n: -1 });
        expect(negative.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
        const huge = await query('query($n: Int) { articles(first: $n) { totalCount } }', { n: 1_000_000_000 });
        expect(huge.body.errors?.[0]?.message).toMatch(/"first" must be an integer from 0 to 100; got 1000000000/);
        const literal = await query('{ articles(first: 1e9) { totalCount } }');
        expect(literal.body.errors?.[0]?.message).toMatch(/Int cannot represent non-integer value: 1e9/);
        const enumValue = await query('{ actors(kind: ALIEN) { totalCount } }');
        expect(enumValue.body.errors?.[0]?.message).toMatch(/Value "ALIEN" does not exist in "ActorKind" enum/);
      });

      it('refuses forged cursors and answers ids of unknown types or rows with null', async () => {
        for (const cursor of [
          'not-a-cursor',
          Buffer.from('["rank","x",1]').toString('base64url'),
          Buffer.from('{}').toString('base64url'),
          '',
        ]) {
          const { body } = await query('query($c: String) { articles(first: 1, after: $c) { totalCount } }', {
            c: cursor,
          });
          expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        }
        const forged = [
          '!!!',
          Buffer.from('Planet:1').toString('base64'),
          Buffer.from('Article:not-a-number').toString('base64'),
          '',
        ];
        for (const id of forged) {
          const { status, body } = await query('query($id: ID!) { node(id: $id) { id } }', { id });
          expect(status).toBe(200);
          expect(body.errors?.[0]).toMatchObject({
            message: expect.stringMatching(/is not an id this API issued/),
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        const missing = await query('query($id: ID!) { node(id: $id) { id } }', {
          id: Buffer.from('Actor:99999').toString('base64'),
        });
        expect(missing.body).toEqual({ data: { node: null } });
      });

      it('treats SQL and tsquery syntax in search as text', async () => {
        for (const text of ['\'; DROP TABLE "Article"; --', 'a & | ! :* <->', '\\\\', "%' OR '1'='1", '( ( ( (']) {
          const { body } = await query('query($q: String!) { search(query: $q, first: 3) { totalCount } }', {
            q: text,
          });
          expect(body.errors).toBeUndefined();
        }
        expect((await storedState(api)).articles).toBeGreaterThan(0);
      });

      it('refuses a query declaring 1,000 variables by its size', async () => {
        const declarations = Array.from({ length: 1000 }, (_, n) => `$v${n}: Int`).join(', ');
        const { body } = await query(`query(${declarations}) { categories { slug } }`);
        expect(body.errors?.[0]?.message).toMatch(/token limit of 3000 exceeded/i);
      });

      it('answers malformed JSON, wrong content types, a GET mutation and a 10 MB body with 4xx', async () => {
        expect((await post('{"query": "{ categories { slug } }"')).status).toBe(400);
        expect((await post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1'))).status).toBe(400);
        const xml = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/xml' },
          body: '<query/>',
        });
        expect(xml.status).toBeGreaterThanOrEqual(400);
        expect(xml.status).toBeLessThan(500);
        const getMutation = await fetch(
          `${url}?query=${encodeURIComponent('mutation { ingestDocument(input: {text: "", sourceName: ""}) { outcome } }')}`,
          {
            headers: { [CSRF_HEADER]: '1' },
          },
        );
        expect(getMutation.status).toBe(405);
        const huge = await post({
          query: '{ categories { slug } }',
          variables: { padding: 'x'.repeat(10 * 1024 * 1024) },
        });
        expect(huge.status).toBe(413);
      });

      it('asks GET requests for the CSRF header', async () => {
        const plain = await fetch(`${url}?query=${encodeURIComponent('{ categories { slug } }')}`);
        expect(plain.status).toBe(403);
        const withHeader = await fetch(`${url}?query=${encodeURIComponent('{ categories { slug } }')}`, {
          headers: { [CSRF_HEADER]: '1' },
        });
        expect(withHeader.status).toBe(200);
      });

      it('looks tokens up by their SHA-256 hash, never comparing secrets', async () => {
        const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
        /** The statements a request with `presented` as its token runs, with their parameters. */
        const statementsFor = async (presented: string, expectedCode: string) => {
          api.clearStatements();
          // Rejected before anything is stored: the page is empty.
          const { body } = await post(
            { query: INGEST, variables: { input: { text: '', sourceName: 'x' } } },
            { authorization: `Bearer ${presented}` },
          );
          expect(body.errors?.[0]?.extensions?.code).toBe(expectedCode);
          return api.statements.map((sql, n) => ({ sql, params: api.statementParams[n]! }));
        };
        for (const [presented, expectedCode] of [
          [wrong, 'UNAUTHENTICATED'],
          [token, 'DOCUMENT_REJECTED'],
        ] as const) {
          const statements = await statementsFor(presented, expectedCode);
          // The secret reaches no statement, in its text or its parameters (with or without
          // its prefix), so no SQL can compare it with anything...
          const secret = presented.replace(/^bya_/, '');
          expect(statements.filter(({ sql, params }) => `${sql}\n${params}`.includes(secret))).toEqual([]);
          // ...and the one statement that reads tokens finds one by the hash of what was presented.
          const tokenReads = statements.filter(({ sql }) => sql.includes('"ApiToken"'));
          expect(tokenReads).toHaveLength(1);
          expect(tokenReads[0]!.sql).toMatch(/ WHERE \(?"t0"\."tokenHash" = \$1\b/);
          expect(JSON.parse(tokenReads[0]!.params)[0]).toBe(hashToken(presented));
        }
        const stored = await api.db.prisma.apiToken.findMany();
        expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.tokenHash) && row.tokenHash !== token)).toBe(true);
        expect(stored.some((row) => row.tokenHash === hashToken(token))).toBe(true);
      });

      it('rejects a page of one 1 MB line, and one whose excerpt is itself, without changing data wrongly', async () => {
        const before = await storedState(api);
        const oneLine = await post(
          { query: INGEST, variables: { input: { text: 'x'.repeat(1024 * 1024 + 10), sourceName: 'line.txt' } } },
          { authorization: `Bearer ${token}` },
        );
        expect(oneLine.body.errors?.[0]?.extensions).toMatchObject({ code: 'DOCUMENT_REJECTED', reason: 'TOO_LARGE' });
        const justUnder = await post(
          { query: INGEST, variables: { input: { text: 'y'.repeat(1000 * 1000), sourceName: 'line.txt' } } },
          { authorization: `Bearer ${token}` },
        );
        expect(justUnder.body.errors?.[0]?.extensions).toMatchObject({ code: 'DOCUMENT_REJECTED' });
        expect(await storedState(api)).toEqual(before);

        const selfish = page(
          'Security: A page that cites itself',
          'March 3, 2019 10:00',
          ['Minsk spoke.'],
          [{ title: 'Security: A page that cites itself', date: 'March 3, 2019 10:00', paragraphs: ['Minsk spoke.'] }],
        );
        const result = await post(
          { query: INGEST, variables: { input: { text: selfish, sourceName: 'self.txt' } } },
          { authorization: `Bearer ${token}` },
        );
        expect(result.body.data?.ingestDocument).toMatchObject({ outcome: 'CREATED' });
        const id = (result.body.data!.ingestDocument as { article: { id: string } }).article.id;
        const links = await query(
          'query($id: ID!) { node(id: $id) { ... on Article { related(first: 10) { edges { node { kind target { id } } } } } } }',
          { id },
        );
        const related = (
          links.body.data!.node as { related: { edges: { node: { kind: string; target: { id: string } } }[] } }
        ).related.edges;
        expect(related.filter((edge) => edge.node.kind === 'EDITORIAL')).toEqual([]);
        expect(related.filter((edge) => edge.node.target.id === id)).toEqual([]);
      });

      it('stores one article when the same page is ingested 20 times concurrently', async () => {
        const text = page('Politics: Twenty at once', 'April 4, 2019 10:00', ['Minsk and Warsaw spoke.']);
        const before = await storedState(api);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            post(
              { query: INGEST, variables: { input: { text, sourceName: `same-${n}.txt` } } },
              { authorization: `Bearer ${token}` },
            ),
          ),
        );
        const outcomes = results.map(
          (result) => (result.body.data?.ingestDocument as { outcome: string } | undefined)?.outcome,
        );
        expect(outcomes.filter((outcome) => outcome === 'CREATED')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'UNCHANGED')).toHaveLength(19);
        const after = await storedState(api);
        expect(after.articles).toBe(before.articles + 1);
        expect(after.trends).toBe(before.trends + 1);
      });

      it('still answers normally after all of the above', async () => {
        const { status, body } = await query('{ categories { slug } }');
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
      });
    });

    it('passes every MUST and SHOULD of the GraphQL-over-HTTP audit (graphql-http)', async () => {
      // Clients send the CSRF header (see README); the audits that matter run as POST anyway.
      const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) =>
        fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), [CSRF_HEADER]: '1' } });
      const failures: string[] = [];
      for (const audit of serverAudits({ url, fetchFn })) {
        const result = await audit.fn();
        if (result.status !== 'ok') failures.push(`${audit.name}: ${result.status}: ${result.reason}`);
      }
      expect(failures).toEqual([]);
    });
  });
}

describe('rate limits and WebSocket limits', () => {
  let app: App;
  let httpUrl: string;
  let wsUrl: string;
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi('pglite', { corpus: false });
    app = createApp({
      prisma: api.db.prisma,
      limits: {
        rateLimitPoints: 30,
        rateLimitWindowSeconds: 60,
        connectionInitTimeoutMs: 300,
        maxSubscriptionsPerConnection: 2,
        maxMessageBytes: 4096,
      },
    });
    const port = await app.start(0);
    httpUrl = `http://localhost:${port}/graphql`;
    wsUrl = `ws://localhost:${port}/graphql`;
  });
  afterAll(async () => {
    await app.stop();
    await api.close();
  });

  it('closes a WebSocket that never sends connection_init (4408)', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    expect(await closeCodeOf(socket)).toBe(4408);
  });

  it('closes a WebSocket that sends a message over the size limit (1009)', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.on('open', resolve));
    const closed = closeCodeOf(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(8192) } }));
    expect(await closed).toBe(1009);
  });

  it('refuses a duplicate subscription id (4409) and a third subscription on one connection', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve) => socket.on('open', resolve));
    const messages: { type: string; id?: string; payload?: unknown }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await waitUntil(() => messages.some((message) => message.type === 'connection_ack'), 5000, 'connection_ack');
    const subscribe = (id: string) =>
      socket.send(
        JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { trendPublished { sequence } }' } }),
      );
    subscribe('1');
    subscribe('2');
    await waitUntil(() => app.hub.subscriberCount === 2, 5000, 'two subscriptions');
    subscribe('3');
    await waitUntil(() => messages.some((message) => message.id === '3'), 5000, 'an answer to the third');
    expect(messages.find((message) => message.id === '3')).toMatchObject({
      type: 'error',
      payload: [expect.objectContaining({ message: 'At most 2 operations may be open per connection.' })],
    });
    const closed = closeCodeOf(socket);
    subscribe('1');
    expect(await closed).toBe(4409);
  });

  it('answers HTTP over the rate limit with 429 and Retry-After, and closes WebSockets with a code of our own', async () => {
    let refused: Response | undefined;
    for (let n = 0; n < 40 && !refused; n++) {
      const response = await fetch(httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ categories { slug } }"}',
      });
      if (response.status === 429) refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused!.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await fetch(httpUrl.replace('/graphql', '/healthz'))).status).toBe(200);

    const subscription = subscribeOverWebSocket(wsUrl, 'subscription { trendPublished { sequence } }');
    await subscription.ended;
    // Not graphql-ws's 4429 ("too many connection_init messages"), which its clients never retry.
    expect(subscription.closeCode()).toBe(RATE_LIMITED_CLOSE_CODE);
    expect(RATE_LIMITED_CLOSE_CODE).not.toBe(CloseCode.TooManyInitialisationRequests);
    expect(Object.values(CloseCode)).not.toContain(RATE_LIMITED_CLOSE_CODE);
    const overWs = executeOverWebSocket(wsUrl, '{ categories { slug } }');
    await expect(overWs).rejects.toBeDefined();
  });
});

describe('execution timeout and CORS', () => {
  it('abandons an operation that runs past the timeout, answering TIMEOUT', async () => {
    const api = await createTestApi('pglite');
    // A slow database, on purpose: every operation waits 300 ms first.
    const slow = api.db.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return query(args);
        },
      },
    }) as unknown as typeof api.db.prisma;
    const app = createApp({ prisma: slow, limits: { executionTimeoutMs: 100 } });
    const response = await app.yoga.fetch('http://archive.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ categories { slug } }' }),
    });
    const body = await response.json();
    expect(body.errors?.[0]).toMatchObject({
      message: 'The operation took longer than 100 ms and was abandoned.',
      extensions: { code: 'TIMEOUT' },
    });
    await app.stop();
    await api.close();
  });

  it('allows only the configured CORS origins', async () => {
    const api = await createTestApi('pglite', { corpus: false });
    const app = createApp({ prisma: api.db.prisma, corsOrigins: ['https://reader.example'] });
    const preflight = (origin: string) =>
      app.yoga.fetch('http://archive.test/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://reader.example')).headers.get('access-control-allow-origin')).toBe(
      'https://reader.example',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).not.toBe(
      'https://evil.example',
    );
    await app.stop();
    await api.close();
  });
});

describe('production errors', () => {
  it('hides internals behind a request id the client also gets, and logs the detail under it', async () => {
    const api = await createTestApi('pglite', { corpus: false });
    const logged: string[] = [];
    const app = createApp({ prisma: api.db.prisma, production: true, log: (message) => logged.push(message) });
    const url = `http://localhost:${await app.start(0)}/graphql`;
    await api.db.dispose(); // every query now fails inside the database layer
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ categories { slug } }"}',
    });
    const body = await response.json();
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    });
    expect(JSON.stringify(body)).not.toMatch(/prisma|pglite|stack|SELECT|closed/i);
    expect(logged.join('\n')).toContain(requestId);
    expect(logged.join('\n')).toMatch(/categories/);

    const suggestion = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ categorie { slug } }"}',
    });
    expect(JSON.stringify(await suggestion.json())).not.toMatch(/Did you mean/);
    await app.stop();
  });
});
