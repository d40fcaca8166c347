// The transport around GraphQL: the request guards (rate limit and body size) that
// `yoga.fetch`, HTTP and WebSocket share, client addresses behind proxies, compression,
// GraphiQL's page and cached assets, and the answers to bad or abusive operations.

import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { clientAddress } from '../../src/server/request-guards.ts';
import { RATE_LIMITED_CLOSE_CODE } from '../../src/server/websocket.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { subscribeOverWebSocket } from '../support/feed-clients.ts';

const CATEGORIES = JSON.stringify({ query: '{ categories { slug } }' });

function post(app: App, body: string, headers: Record<string, string> = {}) {
  return app.yoga.fetch('http://archive.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('the client address behind proxies', () => {
  it('is the entry the outermost trusted proxy appended, never one the client wrote', () => {
    // client → proxy: the proxy appends the client's address; the client wrote "forged".
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.7', 1)).toBe('203.0.113.7');
    // client → outer proxy → inner proxy
    expect(clientAddress('10.0.0.3', 'forged, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.3', '203.0.113.7,10.0.0.2', 2)).toBe('203.0.113.7');
    // fewer entries than hops: the furthest one there is
    expect(clientAddress('10.0.0.3', '203.0.113.7', 2)).toBe('203.0.113.7');
    // no trusted proxy: the header is the client's own words
    expect(clientAddress('198.51.100.1', 'forged', 0)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(clientAddress(undefined, ' , ', 1)).toBe('unknown');
  });

  it('reads TRUST_PROXY as a number of hops (true is one)', () => {
    expect(readConfig({}).trustedProxyHops).toBe(0);
    expect(readConfig({ TRUST_PROXY: '1' }).trustedProxyHops).toBe(1);
    expect(readConfig({ TRUST_PROXY: 'true' }).trustedProxyHops).toBe(1);
    expect(readConfig({ TRUST_PROXY: '2' }).trustedProxyHops).toBe(2);
    expect(() => readConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY must be an integer from 0 to 10/);
  });
});

for (const target of await testTargets()) {
  describe(`the transport on ${target}`, () => {
    let db: TestDatabase;
    const apps: App[] = [];
    const appWith = (options: Omit<Parameters<typeof createApp>[0], 'prisma'>) => {
      const app = createApp({ prisma: db.prisma, log: () => {}, ...options });
      apps.push(app);
      return app;
    };
    beforeAll(async () => {
      db = await createTestDatabase(target);
    });
    afterAll(async () => {
      for (const app of apps) await app.stop();
      await db?.dispose();
    });

    describe('request guards, one plugin for every transport', () => {
      it('rate limits requests through yoga.fetch, with 429 and Retry-After', async () => {
        const app = appWith({ limits: { rateLimitPoints: 3 } });
        const statuses = [];
        for (let n = 0; n < 4; n++) statuses.push((await post(app, CATEGORIES)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const refused = await post(app, CATEGORIES);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
      });

      it('refuses a body over the limit through yoga.fetch (413) before reading it', async () => {
        const app = appWith({ limits: { maxBodyBytes: 2048 } });
        const large = await post(
          app,
          JSON.stringify({ query: '{ categories { slug } }', variables: { pad: 'x'.repeat(4096) } }),
        );
        expect(large.status).toBe(413);
        expect(await large.json()).toMatchObject({
          errors: [{ message: expect.stringMatching(/the limit is 2048/), extensions: { code: 'REQUEST_TOO_LARGE' } }],
        });
        expect((await post(app, CATEGORIES)).status).toBe(200);
      });

      it('counts HTTP requests, GraphiQL page loads and WebSocket operations from one address in one budget', async () => {
        const app = appWith({ limits: { rateLimitPoints: 4 } });
        const port = await app.start(0);
        const base = `http://localhost:${port}`;
        const page = () => fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
        expect((await page()).status).toBe(200);
        expect(
          (
            await fetch(`${base}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: CATEGORIES,
            })
          ).status,
        ).toBe(200);
        const first = subscribeOverWebSocket(
          `ws://localhost:${port}/graphql`,
          'subscription { trendPublished { sequence } }',
        );
        await first.connected;
        await expect.poll(() => app.hub.subscriberCount).toBe(1);
        expect((await page()).status).toBe(200); // the fourth
        const refusedPage = await page();
        expect(refusedPage.status).toBe(429);
        const second = subscribeOverWebSocket(
          `ws://localhost:${port}/graphql`,
          'subscription { trendPublished { sequence } }',
        );
        await second.ended;
        expect(second.closeCode()).toBe(RATE_LIMITED_CLOSE_CODE);
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        await first.close();
      });

      it('behind one trusted proxy, counts the address it appended: a client rotating X-Forwarded-For gains nothing', async () => {
        const app = appWith({ limits: { rateLimitPoints: 3 }, trustedProxyHops: 1 });
        const from = (forwarded: string) => post(app, CATEGORIES, { 'x-forwarded-for': forwarded });
        const statuses = [];
        for (let n = 0; n < 5; n++) statuses.push((await from(`10.9.${n}.1, 203.0.113.7`)).status);
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        // Another client behind the same proxy has its own budget.
        expect((await from('10.9.0.1, 203.0.113.8')).status).toBe(200);
      });

      it('behind two trusted proxies, counts the address the outer one appended', async () => {
        const app = appWith({ limits: { rateLimitPoints: 2 }, trustedProxyHops: 2 });
        const from = (forwarded: string) => post(app, CATEGORIES, { 'x-forwarded-for': forwarded });
        const statuses = [];
        for (let n = 0; n < 3; n++) statuses.push((await from(`forged-${n}, 198.51.100.4, 10.0.0.${n}`)).status);
        expect(statuses).toEqual([200, 200, 429]);
        expect((await from('forged, 198.51.100.5, 10.0.0.1')).status).toBe(200);
      });
    });

    describe('compression and GraphiQL', () => {
      let app: App;
      let base: string;
      beforeAll(async () => {
        app = appWith({ production: true });
        base = `http://localhost:${await app.start(0)}`;
      });
      const introspection = (acceptEncoding: string) =>
        post(app, JSON.stringify({ query: getIntrospectionQuery() }), { 'accept-encoding': acceptEncoding });

      it('compresses GraphQL answers with brotli or gzip as the client prefers, and not when it does not ask', async () => {
        const plain = await introspection('identity');
        expect(plain.headers.get('content-encoding')).toBeNull();
        const text = await plain.text();
        expect(text.length).toBeGreaterThan(20_000);
        const brotli = await introspection('gzip, deflate, br');
        expect(brotli.headers.get('content-encoding')).toBe('br');
        expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
        const brotliBytes = Buffer.from(await brotli.arrayBuffer());
        expect(brotliBytes.length).toBeLessThan(text.length / 5);
        expect(brotliDecompressSync(brotliBytes).toString()).toBe(text);
        const gzip = await introspection('gzip;q=1, br;q=0.5');
        expect(gzip.headers.get('content-encoding')).toBe('gzip');
        expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(text);
        expect((await introspection('br;q=0, gzip;q=0')).headers.get('content-encoding')).toBeNull();
      });

      it('never compresses an event stream, which would hold its events back', async () => {
        const controller = new AbortController();
        const stream = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'gzip, br' },
          body: JSON.stringify({ query: 'subscription { trendPublished { sequence } }' }),
          signal: controller.signal,
        });
        expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
        expect([null, 'none']).toContain(stream.headers.get('content-encoding'));
        controller.abort();
      });

      it('serves GraphiQL as a small page whose assets are cached for good, compressed once', async () => {
        const response = await fetch(`${base}/graphql`, {
          headers: { accept: 'text/html', 'accept-encoding': 'br, gzip' },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-cache');
        const html = await response.text();
        expect(html.length).toBeLessThan(4096);
        expect(html).toContain('"subscriptionsProtocol":"WS"');
        const assets = [
          ...html.matchAll(/(?:href|src)="(\/graphiql\/[0-9a-f]{16}\/[\w.]+)"|"(\/graphiql\/[0-9a-f]{16}\/[\w.]+)"/g),
        ].map((match) => match[1] ?? match[2]!);
        expect(assets).toHaveLength(6); // icon, styles, script, three editor workers
        let transferred = 0;
        for (const path of assets) {
          const asset = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'br, gzip' } });
          expect(asset.status).toBe(200);
          expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
          const etag = asset.headers.get('etag');
          expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
          transferred += Number(asset.headers.get('content-length'));
          await asset.arrayBuffer();
          const again = await fetch(`${base}${path}`, { headers: { 'if-none-match': etag! } });
          expect(again.status).toBe(304);
          expect(await again.text()).toBe('');
        }
        // Yoga's page was 9 MB per view; here the first view fetches its assets once, compressed.
        expect(transferred).toBeLessThan(3 * 1024 * 1024);
        expect((await fetch(`${base}/graphiql/0000000000000000/graphiql.js`)).status).toBe(404);
      });
    });

    describe('answers to bad and abusive operations', () => {
      let app: App;
      beforeAll(() => {
        app = appWith({ production: true });
      });

      it('keeps the JSON parser message out of a production answer, with status 400', async () => {
        const response = await post(app, '{"query": "{ categories { slug } }"');
        expect(response.status).toBe(400);
        const body = await response.json();
        expect(body).toEqual({
          errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
        });
      });

      it('counts aliases of __typename against the alias limit', async () => {
        const aliases = Array.from({ length: 31 }, (_, n) => `a${n}: __typename`).join(' ');
        const body = await (await post(app, JSON.stringify({ query: `{ ${aliases} }` }))).json();
        expect(body.errors?.[0]?.message).toMatch(/aliases limit of 30 exceeded, found 31/i);
        expect(body.data).toBeUndefined();
      });

      it("answers the standard introspection query in production (GraphiQL's, with every option)", async () => {
        const query = getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
          oneOf: true,
        });
        const body = await (await post(app, JSON.stringify({ query }))).json();
        expect(body.errors).toBeUndefined();
        expect(body.data.__schema.types.length).toBeGreaterThan(20);
      });

      it('keeps introspection to the shape of the standard query: nested lists and repeated __schema are refused', async () => {
        const fanOut = '{ __schema { types { interfaces { possibleTypes { interfaces { name } } } } } }';
        const deep = await (await post(app, JSON.stringify({ query: fanOut }))).json();
        expect(deep.data).toBeUndefined();
        expect(deep.errors?.[0]).toMatchObject({
          message: 'Introspection may nest at most 3 lists (as in __schema.types.fields.args); this operation nests 4.',
          extensions: { code: 'INTROSPECTION_LIMIT' },
        });
        const viaFragment = await (
          await post(
            app,
            JSON.stringify({
              query:
                '{ __type(name: "Article") { fields { type { ...T } } } } fragment T on __Type { fields { args { type { fields { name } } } } }',
            }),
          )
        ).json();
        expect(viaFragment.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_LIMIT');
        const twice = await (
          await post(
            app,
            JSON.stringify({ query: '{ a: __schema { queryType { name } } b: __schema { queryType { name } } }' }),
          )
        ).json();
        expect(twice.errors?.[0]).toMatchObject({ extensions: { code: 'INTROSPECTION_LIMIT' } });
      });
    });
  });
}
