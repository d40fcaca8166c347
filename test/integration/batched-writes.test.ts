// The batched writer (src/archive/write/): a run stored in batches leaves the archive as
// storing its pages one at a time would; a page the database refuses is the only one
// lost; and the database runs the write functions its source defines.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionsDefinedIn, readWriteFunctionsSource } from '../../src/archive/write/write-functions.ts';
import { ArchiveWriter, ingestDocument } from '../../src/archive/write/writer.ts';
import { syntheticPage } from '../../src/bench/synthetic-corpus.ts';
import type { Database } from '../../src/db/database.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';

/** Everything stored, by natural keys (ids depend on the order of unrelated inserts), computed links aside. */
async function archiveState(db: Database) {
  const rows = (sql: string) => db.sql.query<Record<string, unknown>>(sql, []);
  return {
    articles: await rows(`
      SELECT a.slug, a.title, a."normalizedTitle", a."publishedAt", c.slug AS category, a."imageCredit",
             a.paragraphs, a.body, a."wordCount", a."isStub", a.corrections
      FROM "Article" a LEFT JOIN "Category" c ON c.id = a."categoryId" ORDER BY a.slug`),
    categories: await rows(`SELECT slug, name FROM "Category" ORDER BY slug`),
    actors: await rows(`SELECT key, slug, name, kind, "fullArticleCount" FROM "Actor" ORDER BY key`),
    aliases: await rows(`
      SELECT al.surface, al.slug, ac.key FROM "ActorAlias" al JOIN "Actor" ac ON ac.id = al."actorId"
      ORDER BY al.surface COLLATE "C"`),
    // Per person, the order their aliases were stored in: what the next page reads (known-people.ts).
    aliasOrder: await rows(`
      SELECT ac.key, array_agg(al.surface ORDER BY al.id) AS surfaces
      FROM "ActorAlias" al JOIN "Actor" ac ON ac.id = al."actorId" GROUP BY ac.key ORDER BY ac.key`),
    mentions: await rows(`
      SELECT a.slug, ac.key, m.count FROM "Mention" m
      JOIN "Article" a ON a.id = m."articleId" JOIN "Actor" ac ON ac.id = m."actorId" ORDER BY 1, 2`),
    editorialLinks: await rows(`
      SELECT s.slug AS source, t.slug AS target, l.position FROM "RelatedLink" l
      JOIN "Article" s ON s.id = l."sourceId" JOIN "Article" t ON t.id = l."targetId"
      WHERE l.kind = 'EDITORIAL' ORDER BY 1, 3`),
    sources: await rows(`
      SELECT d.name, d.sha256, d."parserVersion", a.slug FROM "SourceDocument" d
      JOIN "Article" a ON a.id = d."articleId" ORDER BY d.sha256`),
    trends: await rows(`
      SELECT t.sequence, a.slug FROM "TrendEvent" t JOIN "Article" a ON a.id = t."articleId" ORDER BY 1`),
  };
}

/**
 * A run that exercises what a batch must fold: the corpus and synthetic pages whose
 * excerpts name each other (stubs, then their full pages), the same bytes again, edited
 * versions of stored pages (so the own article of two pages of a run), a page shortening
 * an excerpt and one lengthening it, and a person named by surname alone before a page
 * gives the full name.
 */
function mixedRun(): { name: string; text: string | Uint8Array }[] {
  const synthetic = Array.from({ length: 40 }, (_, n) => ({ name: `synthetic-${n}.txt`, text: syntheticPage(n, 40) }));
  const corpus = CORPUS_FILES.map((file) => ({ name: file, text: corpusPage(file) }));
  // Edited versions: a paragraph added to the page's own text, before its excerpts.
  const edited = synthetic.slice(0, 6).map(({ name, text }) => {
    const excerptsAt = text.indexOf('Similar articles');
    const at = excerptsAt < 0 ? text.length : excerptsAt;
    return { name: `edited-${name}`, text: `${text.slice(0, at)}A paragraph added later.\n\n${text.slice(at)}` };
  });
  const talks = { title: 'Talks in Minsk', date: 'May 1, 2017 10:00' };
  // An article only ever seen in excerpts: its stub keeps the longest, the first of equals.
  const visit = { title: 'A visit to Beijing', date: 'March 3, 2016 08:00' };
  const citing = (n: number, excerpt: string) => ({
    name: `citing-${n}.txt`,
    text: page(
      `Citing page ${n}`,
      `March ${4 + n}, 2016 08:00`,
      ['Minsk and Beijing.'],
      [{ ...visit, paragraphs: [excerpt] }],
    ),
  });
  return [
    ...corpus.slice(0, 3),
    {
      name: 'short-excerpt.txt',
      text: page('Opening', 'April 2, 2017 09:00', ['Makarevich spoke first.'], [{ ...talks, paragraphs: ['Talks.'] }]),
    },
    citing(1, 'A short one.'),
    ...synthetic.slice(0, 20),
    citing(2, 'A much longer excerpt of the visit.'),
    citing(3, 'The same length as the one before!!'),
    {
      name: 'long-excerpt.txt',
      text: page(
        'Closing',
        'April 3, 2017 09:00',
        ['Viktar Makarevich, the deputy minister, closed the session.'],
        [{ ...talks, paragraphs: ['Talks in Minsk went on for two days.'] }],
      ),
    },
    ...edited.slice(0, 3),
    ...synthetic.slice(20),
    corpus[0]!,
    { name: 'talks.txt', text: page(talks.title, talks.date, ['Makarevich and Warsaw met in Minsk.']) },
    // The same person under another spelling of as many words: the first spelling stays.
    { name: 'spelling.txt', text: page('Spelling', 'May 2, 2017 10:00', ['Viktor Makarevich spoke in Minsk.']) },
    ...corpus.slice(3),
    ...edited.slice(3),
    citing(4, 'Shorter again.'),
    { name: 'copy-of-synthetic-5.txt', text: synthetic[5]!.text },
  ];
}

for (const target of await testTargets()) {
  describe(`the batched writer on ${target}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(target);
    });
    afterEach(async () => db.dispose());

    it('runs the write functions archive-write.sql defines', async () => {
      const defined = functionsDefinedIn(await readWriteFunctionsSource());
      expect(defined.map((fn) => fn.name)).toContain('archive_ingest_batch');
      const installed = await db.sql.query<{ name: string; body: string }>(
        `SELECT proname AS name, prosrc AS body FROM pg_proc
         WHERE pronamespace = 'public'::regnamespace AND proname = ANY($1::text[])`,
        [defined.map((fn) => fn.name)],
      );
      const bodies = new Map(installed.map((fn) => [fn.name, fn.body]));
      for (const fn of defined) {
        expect(bodies.get(fn.name), `${fn.name} differs from its source: run npm run db:write-migration`).toBe(fn.body);
      }
    });

    it('leaves the archive as storing the pages one at a time would', async () => {
      const run = mixedRun();
      const oneByOne = await createTestDatabase(target);
      try {
        const expected = [];
        for (const { name, text } of run) expected.push(await ingestDocument(oneByOne.prisma, text, name));
        const reports = await new ArchiveWriter(db).ingestMany(
          run.map(({ name, text }) => ({ name, read: async () => text })),
        );
        expect(reports.map((report) => report.outcome)).toEqual(expected.map((result) => result.outcome));
        expect(await archiveState(db)).toEqual(await archiveState(oneByOne));
      } finally {
        await oneByOne.dispose();
      }
    });

    it('stores every page of a batch but the one the database refuses, and nothing of that one', async () => {
      // A rule of the database's own that one page breaks: the batch holding it fails, and
      // its pages are stored again one at a time.
      await db.sql.query(`ALTER TABLE "Article" ADD CONSTRAINT refuses_one_title CHECK (title <> 'Refused page')`, []);
      const refused = page(
        'Refused page',
        'June 1, 2019 12:00',
        ['Hanna Zmitrovich-Lis spoke of Mogilev.'],
        [{ title: 'An excerpt no other page has', date: 'June 2, 2019 12:00', paragraphs: ['Its text.'] }],
      );
      const pages = Array.from({ length: 12 }, (_, n) => ({ name: `synthetic-${n}.txt`, text: syntheticPage(n, 12) }));
      pages.splice(5, 0, { name: 'refused.txt', text: refused });
      const published: number[] = [];
      const reports = await new ArchiveWriter(db, { published: (sequence) => published.push(sequence) }).ingestMany(
        pages.map(({ name, text }) => ({ name, read: async () => text })),
      );

      expect(reports[5]).toMatchObject({ file: 'refused.txt', outcome: 'FAILED' });
      expect((reports[5] as { message: string }).message).toContain('refuses_one_title');
      expect(reports.filter((report) => report.outcome === 'FAILED')).toHaveLength(1);
      const [stored] = await db.sql.query<{ full: number; sources: number; refused: number; person: number }>(
        `SELECT (SELECT count(*)::int FROM "Article" WHERE NOT "isStub") AS full,
                (SELECT count(*)::int FROM "SourceDocument") AS sources,
                (SELECT count(*)::int FROM "Article" WHERE title IN ('Refused page', 'An excerpt no other page has')) AS refused,
                (SELECT count(*)::int FROM "ActorAlias" WHERE surface LIKE 'Hanna Zmitrovich%') AS person`,
        [],
      );
      expect(stored).toEqual({ full: 12, sources: 12, refused: 0, person: 0 });
      // The trend sequence stays gap-free and in page order, and was announced up to its end.
      const trends = await db.sql.query<{ sequence: number; name: string }>(
        `SELECT t.sequence, d.name FROM "TrendEvent" t JOIN "SourceDocument" d ON d."articleId" = t."articleId"
         ORDER BY t.sequence`,
        [],
      );
      expect(trends.map((trend) => trend.sequence)).toEqual(trends.map((_, n) => n + 1));
      expect(trends.map((trend) => trend.name)).toEqual(
        pages.filter((p) => p.name !== 'refused.txt').map((p) => p.name),
      );
      expect(published.at(-1)).toBe(12);

      // Without the rule, the page stores its person and its excerpt: the checks above were not vacuous.
      await db.sql.query(`ALTER TABLE "Article" DROP CONSTRAINT refuses_one_title`, []);
      expect((await ingestDocument(db.prisma, refused, 'refused.txt')).outcome).toBe('CREATED');
      const [after] = await db.sql.query<{ refused: number; person: number }>(
        `SELECT (SELECT count(*)::int FROM "Article" WHERE title IN ('Refused page', 'An excerpt no other page has')) AS refused,
                (SELECT count(*)::int FROM "ActorAlias" WHERE surface LIKE 'Hanna Zmitrovich%') AS person`,
        [],
      );
      expect(after!.refused).toBe(2);
      expect(after!.person).toBeGreaterThan(0);
    });
  });
}
