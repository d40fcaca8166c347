// The response cache: hits, what is never cached, and that no answer from before a write
// is served after it: on one instance, on two instances sharing PostgreSQL and Redis,
// after ingests through the mutation and through `npm run ingest` (with and without
// Redis), computed links included.

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createRedisArchiveChangeSignals } from '../../src/feed/archive-changes.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { type App, createApp } from '../../src/server/app.ts';
import type { OperationsOptions } from '../../src/server/operations.ts';
import { graphql } from '../generated/gql.ts';
import { runCli } from '../support/cli.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';
import { redisForTests, TEST_REDIS_URL } from '../support/redis.ts';

const LatestTitles = graphql(`
  query CachedLatestTitles {
    articles(first: 50) { totalCount edges { node { title } } }
  }
`);
const ArticleRelated = graphql(`
  query CachedArticleRelated($slug: String!) {
    article(slug: $slug) { title related(first: 10) { edges { node { kind target { title } } } } }
  }
`);
const CategoryName = graphql(`
  query CachedCategoryName($slug: String!) {
    category(slug: $slug) { name }
  }
`);
const Ingest = graphql(`
  mutation CachedIngest($input: IngestDocumentInput!) {
    ingestDocument(input: $input) { outcome article { title } }
  }
`);

/** The statement every cache lookup runs; anything else means the query was executed. */
const REVISION_READ = /FROM "ArchiveRevision"/;

/** A page naming the rare actors of the corpus's first article, so computed links join them. */
function kravchenkoPage(n: number): string {
  return page(`Security: Kravchenko and Brink meet again, round ${n}`, `March ${n}, 2018 10:00`, [
    `Deputy Foreign Minister Oleg Kravchenko met Deputy Assistant Secretary of State Bridget Brink in Minsk, round ${n}.`,
  ]);
}

interface Instance {
  app: App;
  url: string;
  /** SQL statements this instance ran. */
  statements: string[];
}

async function post(instance: Instance, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

/** Runs a query; says whether the instance executed it (false: answered from its cache). */
async function read(
  instance: Instance,
  document: object,
  variables: object = {},
  headers: Record<string, string> = {},
) {
  instance.statements.length = 0;
  const result = await post(instance, { query: print(document as never), variables }, headers);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return { data: result.data!, executed: instance.statements.some((sql) => !REVISION_READ.test(sql)) };
}

const titlesOf = (data: Record<string, unknown>) =>
  (data.articles as { edges: { node: { title: string } }[] }).edges.map((edge) => edge.node.title);
const relatedTitlesOf = (data: Record<string, unknown>) =>
  (data.article as { related: { edges: { node: { target: { title: string } } }[] } }).related.edges.map(
    (edge) => edge.node.target.title,
  );

async function startInstance(
  prisma: PrismaClient,
  statements: string[],
  operations: OperationsOptions,
): Promise<Instance> {
  const app = createApp({ prisma, operations });
  return { app, url: `http://localhost:${await app.start(0)}/graphql`, statements };
}

for (const target of await testTargets()) {
  describe(`the response cache on ${target}`, () => {
    const statements: string[] = [];
    let db: TestDatabase;
    let instance: Instance;
    let token: string;
    const firstSlug = () =>
      db.prisma.article.findFirstOrThrow({ where: { title: { startsWith: 'Belarusian authorities aspire' } } });

    beforeAll(async () => {
      db = await createTestDatabase(target, { onQuery: (sql) => statements.push(sql) });
      for (const file of CORPUS_FILES) await ingestDocument(db.prisma, corpusPage(file), file);
      await ingestDocument(db.prisma, page('Economy: Potash exports grow', 'June 1, 2019 10:00', ['Trade.']), 'e.txt');
      token = await createToken(db.prisma, 'cache-editor');
      instance = await startInstance(db.prisma, statements, { responseCache: { ttlMs: 60_000 } });
    });
    afterAll(async () => {
      await instance?.app.stop();
      await db?.dispose();
    });

    it('answers a repeated query from the cache, with nothing but the revision read', async () => {
      const first = await read(instance, LatestTitles);
      const second = await read(instance, LatestTitles);
      expect(first.executed).toBe(true);
      expect(second.executed).toBe(false);
      expect(second.data).toEqual(first.data);
      expect(instance.statements.filter((sql) => REVISION_READ.test(sql))).toHaveLength(1);
    });

    it('keys results by variables as well as by document', async () => {
      const { slug } = await firstSlug();
      await read(instance, ArticleRelated, { slug });
      expect((await read(instance, CategoryName, { slug: 'economy' })).executed).toBe(true);
      expect((await read(instance, CategoryName, { slug: 'security' })).executed).toBe(true);
      expect((await read(instance, CategoryName, { slug: 'economy' })).executed).toBe(false);
    });

    it('never caches requests with a token, nor mutations', async () => {
      const auth = { authorization: `Bearer ${token}` };
      await read(instance, LatestTitles, {}, auth);
      expect((await read(instance, LatestTitles, {}, auth)).executed).toBe(true);
      const input = { text: kravchenkoPage(1), sourceName: 'k1.txt' };
      expect((await post(instance, { query: print(Ingest), variables: { input } }, auth)).errors).toBeUndefined();
      const again = await post(instance, { query: print(Ingest), variables: { input } }, auth);
      expect(again.data).toEqual({ ingestDocument: { outcome: 'UNCHANGED', article: expect.any(Object) } });
    });

    it('serves the fresh answer after an ingest, computed links included, and keeps what it did not touch', async () => {
      const { slug } = await firstSlug();
      await read(instance, LatestTitles);
      await read(instance, ArticleRelated, { slug });
      await read(instance, CategoryName, { slug: 'economy' });
      expect((await read(instance, ArticleRelated, { slug })).executed).toBe(false);

      const input = { text: kravchenkoPage(2), sourceName: 'k2.txt' };
      const ingested = await post(
        instance,
        { query: print(Ingest), variables: { input } },
        {
          authorization: `Bearer ${token}`,
        },
      );
      expect(ingested.errors).toBeUndefined();

      const titles = await read(instance, LatestTitles);
      expect(titles.executed).toBe(true);
      expect(titlesOf(titles.data)).toContain('Kravchenko and Brink meet again, round 2');
      // The first article's computed links were recomputed by the ingest of its neighbour.
      const related = await read(instance, ArticleRelated, { slug });
      expect(related.executed).toBe(true);
      expect(relatedTitlesOf(related.data)).toContain('Kravchenko and Brink meet again, round 2');
      // An entity the ingest did not touch stays cached.
      expect((await read(instance, CategoryName, { slug: 'economy' })).executed).toBe(false);
    });

    it('forgets a lookup that found nothing once the thing exists', async () => {
      expect((await read(instance, CategoryName, { slug: 'diplomacy' })).data).toEqual({ category: null });
      expect((await read(instance, CategoryName, { slug: 'diplomacy' })).executed).toBe(false);
      await post(
        instance,
        {
          query: print(Ingest),
          variables: {
            input: { text: page('Diplomacy: Talks in Minsk', 'April 2, 2018 10:00', ['Talks.']), sourceName: 'd.txt' },
          },
        },
        { authorization: `Bearer ${token}` },
      );
      expect((await read(instance, CategoryName, { slug: 'diplomacy' })).data).toEqual({
        category: { name: 'Diplomacy' },
      });
    });

    it('revalidates a GET by its ETag: 304 while unchanged, the fresh answer after an ingest', async () => {
      const get = (headers: Record<string, string> = {}) =>
        fetch(`${instance.url}?${new URLSearchParams({ query: print(LatestTitles) })}`, {
          headers: { 'x-graphql-csrf': '1', accept: 'application/json', ...headers },
        });
      const first = await get();
      const etag = first.headers.get('etag')!;
      expect(first.status).toBe(200);
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/); // quoted, as RFC 9110 has it
      expect(first.headers.get('cache-control')).toBe('no-cache'); // any cache must revalidate
      const unchanged = await get({ 'if-none-match': etag });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get('etag')).toBe(etag);
      expect((await get({ 'if-none-match': `W/${etag}` })).status).toBe(304); // as a CDN may send it
      await post(
        instance,
        {
          query: print(Ingest),
          variables: { input: { text: kravchenkoPage(3), sourceName: 'k3.txt' } },
        },
        { authorization: `Bearer ${token}` },
      );
      const after = await get({ 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(titlesOf(((await after.json()) as { data: Record<string, unknown> }).data)).toContain(
        'Kravchenko and Brink meet again, round 3',
      );
    });

    it('keeps a result no longer than its TTL', async () => {
      const shortLived = await startInstance(db.prisma, statements, { responseCache: { ttlMs: 300 } });
      try {
        await read(shortLived, CategoryName, { slug: 'economy' });
        expect((await read(shortLived, CategoryName, { slug: 'economy' })).executed).toBe(false);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect((await read(shortLived, CategoryName, { slug: 'economy' })).executed).toBe(true);
      } finally {
        await shortLived.app.stop();
      }
    });
  });
}

const postgresTargets = (await testTargets()).filter((target) => target === 'postgres');
const redisAvailable = postgresTargets.length > 0 && (await redisForTests());

describe.runIf(redisAvailable)('two instances sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  const instances: Instance[] = [];
  const prefix = `test:${randomUUID()}:`;
  let token: string;
  let pagesDir: string;
  let secondDatabase: Awaited<ReturnType<typeof openDatabase>>;

  /** The same read on both instances; both must show `title`, and say whether they executed. */
  async function readBoth(title: string) {
    const answers = [];
    for (const instance of instances) {
      const answer = await read(instance, LatestTitles);
      expect(titlesOf(answer.data)).toContain(title);
      answers.push(answer.executed);
    }
    return answers;
  }

  /** Fills both caches and checks that they answer from it (once they have heard of the last change). */
  async function warmBoth(title: string) {
    const deadline = Date.now() + 5_000;
    await readBoth(title);
    let executed = await readBoth(title);
    while (executed.some(Boolean) && Date.now() < deadline) executed = await readBoth(title);
    expect(executed).toEqual([false, false]);
  }

  beforeAll(async () => {
    const statementsA: string[] = [];
    const statementsB: string[] = [];
    db = await createTestDatabase('postgres', { onQuery: (sql) => statementsA.push(sql) });
    secondDatabase = await openDatabase(
      { kind: 'postgres', url: db.url! },
      { onQuery: (sql) => statementsB.push(sql) },
    );
    for (const file of CORPUS_FILES) await ingestDocument(db.prisma, corpusPage(file), file);
    token = await createToken(db.prisma, 'two-instances');
    pagesDir = await mkdtemp(join(tmpdir(), 'cache-pages-'));
    for (const [prisma, statements] of [
      [db.prisma, statementsA],
      [secondDatabase.prisma, statementsB],
    ] as const) {
      instances.push(
        await startInstance(prisma, statements, {
          responseCache: { ttlMs: 600_000 },
          archiveChanges: createRedisArchiveChangeSignals(TEST_REDIS_URL, prefix),
        }),
      );
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.app.stop();
    await secondDatabase?.close();
    await db?.dispose();
    if (pagesDir) await rm(pagesDir, { recursive: true, force: true });
  });

  it('serves the fresh answer on both after an ingest through the mutation on one', async () => {
    await warmBoth('Belarusian authorities aspire that Minsk becomes negotiating platform on security issues');
    const input = { text: kravchenkoPage(10), sourceName: 'k10.txt' };
    const result = await post(
      instances[0]!,
      { query: print(Ingest), variables: { input } },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(result.errors).toBeUndefined();
    // At once, without waiting for anything: never the stale answer.
    expect(await readBoth('Kravchenko and Brink meet again, round 10')).toEqual([true, true]);
    // Both caches work again once the change has been heard of.
    await warmBoth('Kravchenko and Brink meet again, round 10');
  });

  it('serves the fresh answer on both after `npm run ingest` announced through Redis', async () => {
    await warmBoth('Kravchenko and Brink meet again, round 10');
    const file = join(pagesDir, 'k11.txt');
    await writeFile(file, kravchenkoPage(11));
    const cli = await runCli('src/cli/ingest.ts', [file], {
      DATABASE_URL: db.url!,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(await readBoth('Kravchenko and Brink meet again, round 11')).toEqual([true, true]);
    await warmBoth('Kravchenko and Brink meet again, round 11');
  });

  it('serves the fresh answer on both after `npm run ingest` without Redis, then caches again', async () => {
    await warmBoth('Kravchenko and Brink meet again, round 11');
    const file = join(pagesDir, 'k12.txt');
    await writeFile(file, kravchenkoPage(12));
    const cli = await runCli('src/cli/ingest.ts', [file], { DATABASE_URL: db.url!, REDIS_URL: '' });
    expect(cli.code, cli.stderr).toBe(0);
    // Nobody announced the change: the revision says the caches are behind.
    expect(await readBoth('Kravchenko and Brink meet again, round 12')).toEqual([true, true]);
    // After the grace for a late signal, each drops its cache and serves from it again.
    await warmBoth('Kravchenko and Brink meet again, round 12');
  });
});
