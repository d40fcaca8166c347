// Structured logs: one JSON line per operation (request id, operation name and type,
// duration, error codes) over HTTP and WebSocket, the level from LOG_LEVEL, and no token,
// secret or page text in any line: checked in process and on the log of a real server.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import { openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logging.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { createTestDatabase, testTargets } from '../support/databases.ts';
import { executeOverWebSocket } from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';
import { type RunningServer, startServer } from '../support/server-process.ts';

const LoggedCategories = graphql(`
  query LoggedCategories {
    categories { slug }
  }
`);
const LoggedIngest = graphql(`
  mutation LoggedIngest($input: IngestDocumentInput!) {
    ingestDocument(input: $input) { outcome }
  }
`);

interface OperationLine {
  msg: string;
  level: number;
  requestId: string;
  transport: 'http' | 'websocket';
  operationName: string | null;
  operationType: string | null;
  durationMs: number;
  errorCodes: string[];
  cached?: boolean;
}

/** What the log must never hold: the page's words, the editor token, the metrics token. */
function secretsOf(marker: string, token: string, metricsToken: string) {
  return [marker, token, metricsToken, token.slice(0, 16)];
}

function securePage(marker: string) {
  return page(`Security: Confidential talks ${marker.slice(0, 8)}`, 'August 3, 2022 10:00', [
    `The delegations discussed ${marker} behind closed doors in Minsk.`,
  ]);
}

const operationLines = (lines: string[]) =>
  lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as OperationLine)
    .filter((line) => line.msg === 'graphql operation');

for (const target of await testTargets()) {
  describe(`the operation log on ${target}`, () => {
    const lines: string[] = [];
    let api: TestApi;
    let app: App;
    let url: string;
    const marker = `marker-${randomUUID()}`;
    const metricsToken = `metrics-${randomUUID()}`;
    let token: string;
    const responses: { requestId: string | null; operationName: string }[] = [];

    const post = async (operationName: string, body: object, headers: Record<string, string> = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      responses.push({ requestId: response.headers.get('x-request-id'), operationName });
      return response.json();
    };

    beforeAll(async () => {
      api = await createTestApi(target);
      app = createApp({
        prisma: api.db.prisma,
        operations: {
          logger: createLogger('info', { write: (line) => lines.push(line) }),
          responseCache: { ttlMs: 60_000 },
          metricsToken,
        },
      });
      url = `http://localhost:${await app.start(0)}/graphql`;
      token = await api.editorToken();
      await post('LoggedCategories', { query: print(LoggedCategories) });
      await post('LoggedCategories', { query: print(LoggedCategories) }); // from the cache
      await post(
        'LoggedIngest',
        { query: print(LoggedIngest), variables: { input: { text: securePage(marker), sourceName: `${marker}.txt` } } },
        { authorization: `Bearer ${token}` },
      );
      await post('Refused', { query: 'query Refused { articles(first: 1000) { totalCount } }' });
      await executeOverWebSocket(
        url.replace('http', 'ws'),
        'query OverWebSocket { categories { slug } }',
        {},
        {
          authorization: `Bearer ${token}`,
        },
      );
      await fetch(url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${metricsToken}` } });
    });
    afterAll(async () => {
      await app?.stop();
      await api?.close();
    });

    it('writes one JSON line per operation with its request id, name, type, duration and error codes', () => {
      const logged = operationLines(lines);
      expect(logged.map((line) => [line.transport, line.operationName, line.operationType])).toEqual([
        ['http', 'LoggedCategories', 'query'],
        ['http', 'LoggedCategories', 'query'],
        ['http', 'LoggedIngest', 'mutation'],
        ['http', 'Refused', 'query'],
        ['websocket', 'OverWebSocket', 'query'],
      ]);
      for (const line of logged) {
        expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(line.durationMs).toBeGreaterThanOrEqual(0);
        expect(line.level).toBe(30); // info
      }
      // The HTTP client got the same id in X-Request-Id.
      expect(logged.slice(0, 4).map((line) => line.requestId)).toEqual(responses.map((r) => r.requestId));
      expect(logged.map((line) => line.errorCodes)).toEqual([[], [], [], ['BAD_USER_INPUT'], []]);
      expect(logged.map((line) => line.cached ?? false)).toEqual([false, true, false, false, false]);
    });

    it('never writes the token, the metrics token or the page text', () => {
      const log = lines.join('\n');
      expect(log).toContain('LoggedIngest'); // the log is there
      for (const secret of secretsOf(marker, token, metricsToken)) expect(log).not.toContain(secret);
      expect(log).not.toContain('behind closed doors');
    });

    it('writes no operation line below the level asked for', async () => {
      const quiet: string[] = [];
      const warnOnly = createApp({
        prisma: api.db.prisma,
        operations: { logger: createLogger('warn', { write: (line) => quiet.push(line) }) },
      });
      const response = await warnOnly.yoga.fetch('http://archive.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(LoggedCategories) }),
      });
      expect(response.status).toBe(200);
      expect(operationLines(quiet)).toEqual([]);
      await warnOnly.stop();
    });
  });
}

describe.each(await testTargets())('the log of a real server on %s', (target) => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;
  let token: string;
  const marker = `marker-${randomUUID()}`;
  const metricsToken = `metrics-${randomUUID()}`;

  beforeAll(async () => {
    let databaseUrl: string;
    if (target === 'postgres') {
      const db = await createTestDatabase('postgres');
      token = await createToken(db.prisma, 'log-editor');
      databaseUrl = db.url!;
      cleanup = () => db.dispose();
    } else {
      // The embedded database admits one process: the token is made before the server opens it.
      const dir = await mkdtemp(join(tmpdir(), 'log-pglite-'));
      const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });
      await applyMigrations(database.adapterFactory);
      token = await createToken(database.prisma, 'log-editor');
      await database.close();
      databaseUrl = `pglite:${join(dir, 'data')}`;
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    server = await startServer(databaseUrl, { LOG_LEVEL: 'debug', METRICS_TOKEN: metricsToken });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
    await cleanup?.();
  });

  it('logs JSON lines and no token, webhook secret or page text, at LOG_LEVEL=debug', async () => {
    const url = `${server.baseUrl}/graphql`;
    const ingest = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: print(LoggedIngest),
        variables: { input: { text: securePage(marker), sourceName: 'secret-page.txt' } },
      }),
    });
    expect(await ingest.json()).toEqual({ data: { ingestDocument: { outcome: 'CREATED' } } });
    const badToken = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${marker}-not-a-token` },
      body: JSON.stringify({ query: print(LoggedIngest), variables: { input: { text: marker, sourceName: marker } } }),
    });
    expect((await badToken.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(
      (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status,
    ).toBe(200);
    // A webhook's signing secret is in the answer only. Registered after the last page, so
    // nothing is due for delivery to its (unreachable) address.
    const webhook = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation LoggedWebhook { createWebhook(input: { url: "https://8.8.8.8/hook" }) { secret } }',
      }),
    });
    const webhookSecret = ((await webhook.json()) as { data: { createWebhook: { secret: string } } }).data.createWebhook
      .secret;
    expect(webhookSecret).toMatch(/^whsec_/);
    // The whole log: the server stops, and its output is read once its pipes have closed.
    const closed = once(server.child, 'close');
    server.child.kill('SIGTERM');
    await closed;

    const output = server.output();
    const lines = output.split('\n').filter(Boolean);
    expect(lines.every((line) => line.startsWith('{') && JSON.parse(line))).toBe(true);
    expect(operationLines(lines).map((line) => [line.operationName, line.errorCodes])).toEqual([
      ['LoggedIngest', []],
      ['LoggedIngest', ['UNAUTHENTICATED']],
      ['LoggedWebhook', []],
    ]);
    const webhookKey = webhookSecret.slice('whsec_'.length);
    for (const secret of [...secretsOf(marker, token, metricsToken), webhookSecret, webhookKey]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toContain('behind closed doors');
  });
});
