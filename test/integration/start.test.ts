// `npm start` as a user runs it: on an empty database it migrates, ingests the bundled
// corpus and serves GraphQL, GraphiQL, /healthz and /readyz; SIGTERM stops it with exit 0.

import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server-process.ts';

for (const target of await testTargets()) {
  describe(`npm start on ${target}`, () => {
    let db: TestDatabase | undefined;
    let server: RunningServer;
    beforeAll(async () => {
      db = target === 'postgres' ? await createTestDatabase(target) : undefined;
      server = await startServer(db?.url ?? 'pglite:memory');
    });
    afterAll(async () => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
      await db?.dispose();
    });

    it('ingests the bundled corpus into an empty archive and says what it holds', () => {
      expect(server.output()).toContain('ingested the bundled corpus: 5 documents');
      expect(server.output()).toMatch(
        /archive holds 5 full articles, 3 stubs, \d+ actors, \d+ related links, 5 trend events/,
      );
    });

    it('serves GraphQL queries over HTTP', async () => {
      const response = await fetch(`${server.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ articles(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { articles: { totalCount: 5 } } });
    });

    it('serves GraphiQL to a browser, with a default query', async () => {
      const response = await fetch(`${server.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const html = await response.text();
      expect(html).toContain('GraphiQL');
      expect(html).toContain('search(query:');
    });

    it('answers /healthz and /readyz', async () => {
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    });

    it('stops on SIGTERM with exit code 0', async () => {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    });
  });
}
