// An ingest that runs past the execution timeout is cancelled, and the answer says what
// happened: TIMEOUT with outcome CANCELLED means nothing was stored, and nothing is stored
// later either. Before, the answer said "abandoned" while the ingest went on and committed.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';

const INGEST = 'mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { outcome } }';

async function ingestThrough(app: ReturnType<typeof createApp>, token: string, title: string) {
  const text = page(`Security: ${title}`, 'July 7, 2021 10:00', ['Minsk met Vilnius.']);
  const response = await app.yoga.fetch('http://archive.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: INGEST, variables: { input: { text, sourceName: `${title}.txt` } } }),
  });
  return (await response.json()) as {
    data?: { ingestDocument: { outcome: string } } | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** Everything an ingest writes, counted. */
async function stored(prisma: PrismaClient) {
  return {
    articles: await prisma.article.count(),
    sources: await prisma.sourceDocument.count(),
    trends: await prisma.trendEvent.count(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const target of await testTargets()) {
  describe(`an ingest past the execution timeout on ${target}`, () => {
    let db: TestDatabase;
    let token: string;
    beforeAll(async () => {
      db = await createTestDatabase(target);
      token = await createToken(db.prisma, 'timeout-editor');
    });
    afterAll(async () => db?.dispose());

    it('is cancelled, answered TIMEOUT with outcome CANCELLED, and never commits', async () => {
      // A slow database, on purpose: every statement waits 250 ms first.
      const slow = db.prisma.$extends({
        query: {
          async $allOperations({ args, query }) {
            await sleep(250);
            return query(args);
          },
        },
      }) as unknown as PrismaClient;
      const app = createApp({ prisma: slow, limits: { executionTimeoutMs: 400 } });
      const before = await stored(db.prisma);
      const answer = await ingestThrough(app, token, 'Too slow to store');
      expect(answer.errors?.[0]).toMatchObject({
        message: 'The operation took longer than 400 ms and was cancelled; nothing was stored.',
        extensions: { code: 'TIMEOUT', outcome: 'CANCELLED' },
      });
      // Long enough for the ingest to have finished had it gone on, as it did before.
      await sleep(3_000);
      expect(await stored(db.prisma)).toEqual(before);
      await app.stop();
    });

    it('still stores a page that finishes in time', async () => {
      const app = createApp({ prisma: db.prisma, limits: { executionTimeoutMs: 10_000 } });
      const answer = await ingestThrough(app, token, 'In good time');
      expect(answer).toEqual({ data: { ingestDocument: { outcome: 'CREATED' } } });
      await app.stop();
    });
  });
}

const postgresAvailable = (await testTargets()).includes('postgres');

describe.runIf(postgresAvailable)('an ingest blocked in PostgreSQL past the execution timeout', () => {
  it('has its statement cancelled at the deadline, is answered at once, and commits nothing when unblocked', async () => {
    const db = await createTestDatabase('postgres');
    const blocker = new pg.Client({ connectionString: db.url! });
    await blocker.connect();
    try {
      const token = await createToken(db.prisma, 'blocked-editor');
      const app = createApp({ prisma: db.prisma, limits: { executionTimeoutMs: 1_000 } });
      const before = await stored(db.prisma);
      // Another session holds the articles table: the ingest's write waits for it.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "Article" IN ACCESS EXCLUSIVE MODE');
      const startedAt = Date.now();
      const answer = await ingestThrough(app, token, 'Blocked by a lock');
      const answeredAfter = Date.now() - startedAt;
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'TIMEOUT', outcome: 'CANCELLED' });
      // PostgreSQL cancelled the waiting statement: no wait for the lock's release.
      expect(answeredAfter).toBeLessThan(4_000);
      await blocker.query('COMMIT');
      await sleep(1_000);
      expect(await stored(db.prisma)).toEqual(before);
      await app.stop();
    } finally {
      await blocker.end();
      await db.dispose();
    }
  });
});
