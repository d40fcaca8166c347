// The ingestDocument mutation and its tokens: who may write, what a bad page costs
// (nothing), and the token CLI an operator uses to hand out and take back access.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, revokeToken, viewerForAuthorization } from '../../src/auth/tokens.ts';
import { syntheticPage } from '../../src/bench/synthetic-corpus.ts';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { runCli } from '../support/cli.ts';
import { CORPUS_FILES, corpusText } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';

const IngestDocument = graphql(`
  mutation IngestDocument($input: IngestDocumentInput!) {
    ingestDocument(input: $input) {
      outcome
      article { id title isStub category { slug } actors(first: 3) { totalCount } }
    }
  }
`);

const ArticleCount = graphql(`
  query ArticleCount {
    articles(first: 0, filter: { includeStubs: true }) { totalCount }
  }
`);

/** The synthetic corpus the tests take pages from (each test stores at most one of them). */
const SYNTHETIC_PAGES = 10;

const tokenCli = (databaseUrl: string, args: string[]) =>
  runCli('src/cli/token.ts', args, { DATABASE_URL: databaseUrl });

/** Opens the database only for `use`: a PGlite directory admits one process at a time. */
async function withDatabase<T>(databaseUrl: string, use: (prisma: TestDatabase['prisma']) => Promise<T>): Promise<T> {
  const database = await openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    return await use(database.prisma);
  } finally {
    await database.close();
  }
}

for (const target of await testTargets()) {
  describe(`mutation ingestDocument on ${target}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(target, { corpus: false });
    });
    afterAll(async () => api.close());

    const articleCount = async () => (await api.data(ArticleCount)).articles.totalCount;
    const input = (n: number) => ({ text: syntheticPage(n, SYNTHETIC_PAGES), sourceName: `synthetic-${n}.txt` });

    it('refuses a request without a valid token with UNAUTHENTICATED, writing nothing', async () => {
      for (const token of [undefined, 'bya_not-a-real-token']) {
        const result = await api.execute(IngestDocument, { input: input(1) }, { token });
        expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(result.errors?.[0]?.message).toMatch(/Authorization: Bearer <token>/);
        expect(result.data ?? null).toBeNull();
      }
      expect(await articleCount()).toBe(0);
    });

    it('stores a page for an editor: CREATED, then UNCHANGED for the same text', async () => {
      const token = await api.editorToken();
      const first = await api.data(IngestDocument, { input: input(2) }, { token });
      expect(first.ingestDocument.outcome).toBe('CREATED');
      expect(first.ingestDocument.article).toMatchObject({ isStub: false, title: expect.any(String) });
      expect(first.ingestDocument.article.actors.totalCount).toBeGreaterThan(0);
      const again = await api.data(IngestDocument, { input: input(2) }, { token });
      expect(again.ingestDocument).toEqual({ ...first.ingestDocument, outcome: 'UNCHANGED' });
      const corpusPage = await api.data(
        IngestDocument,
        { input: { text: corpusText(CORPUS_FILES[0]!), sourceName: CORPUS_FILES[0]! } },
        { token },
      );
      expect(corpusPage.ingestDocument.outcome).toBe('CREATED');
    });

    it('refuses a revoked token', async () => {
      const token = await api.editorToken();
      const viewer = await viewerForAuthorization(api.db.prisma, `Bearer ${token}`);
      await revokeToken(api.db.prisma, viewer!.tokenName);
      const result = await api.execute(IngestDocument, { input: input(3) }, { token });
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('rejects a bad page with DOCUMENT_REJECTED and its reason, and stores none of it', async () => {
      const token = await api.editorToken();
      const before = await articleCount();
      for (const [text, reason] of [
        ['', 'EMPTY'],
        ['   \n\n', 'EMPTY'],
        ['A title without a date\n\nOne paragraph of analysis that never says when.', 'NO_DATE'],
        ['Security: A dated title\n\nFebruary 31, 2017 10:00\n\nA paragraph.', 'BAD_DATE'],
        ['x'.repeat(1024 * 1024 + 1), 'TOO_LARGE'],
      ] as const) {
        const result = await api.execute(IngestDocument, { input: { text, sourceName: 'bad.txt' } }, { token });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'DOCUMENT_REJECTED', reason });
        expect(result.errors?.[0]?.message).toMatch(/^document rejected: /);
      }
      expect(await articleCount()).toBe(before);
    });
  });

  describe(`npm run token on ${target}`, () => {
    let workDir: string;
    let db: TestDatabase | undefined;
    let databaseUrl: string;
    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'token-cli-'));
      db = target === 'postgres' ? await createTestDatabase(target) : undefined;
      databaseUrl = db?.url ?? `pglite:${join(workDir, 'db')}`;
    });
    afterAll(async () => {
      await db?.dispose();
      await rm(workDir, { recursive: true, force: true });
    });

    it('creates a token shown once and stored only as its hash, then revokes it', async () => {
      const created = await tokenCli(databaseUrl, ['create', 'desk']);
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^bya_[\w-]{43}$/);
      expect(created.stderr).toContain('shown once');
      await withDatabase(databaseUrl, async (prisma) => {
        const stored = await prisma.apiToken.findUniqueOrThrow({ where: { name: 'desk' } });
        expect(stored.tokenHash).toBe(hashToken(token));
        expect(JSON.stringify(stored)).not.toContain(token);
        expect(await viewerForAuthorization(prisma, `Bearer ${token}`)).toEqual({
          tokenName: 'desk',
          scopes: ['editor'],
        });
      });

      const again = await tokenCli(databaseUrl, ['create', 'desk']);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('npm run token -- revoke desk') });
      const revoked = await tokenCli(databaseUrl, ['revoke', 'desk']);
      expect(revoked).toMatchObject({ code: 0, stderr: expect.stringContaining('revoked token "desk"') });
      await withDatabase(databaseUrl, async (prisma) => {
        expect(await viewerForAuthorization(prisma, `Bearer ${token}`)).toBeNull();
      });
      expect((await tokenCli(databaseUrl, ['revoke', 'desk'])).code).toBe(1);
      // A revoked token's name stays taken, and the refusal says so.
      const reused = await tokenCli(databaseUrl, ['create', 'desk']);
      expect(reused).toMatchObject({ code: 1, stderr: expect.stringContaining('choose another name') });
    });

    it('exits 2 with its usage on a wrong command', async () => {
      const wrong = await tokenCli(databaseUrl, ['rotate']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('usage: npm run token');
    });
  });
}
