// Ingestion against each test database: the acceptance points of the store issue.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshComputedLinksOf } from '../../src/archive/write/computed-links.ts';
import { ingestDocument, ingestMany } from '../../src/archive/write/writer.ts';
import { syntheticPage } from '../../src/bench/synthetic-corpus.ts';
import { DocumentRejectedError } from '../../src/ingest/parse-document.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';

const IMAGE_LOSSES = 'Minsk attempts to make up for image losses from military exercises by opening to Western values';

async function ingestCorpus(db: TestDatabase) {
  const results = [];
  for (const file of CORPUS_FILES) results.push(await ingestDocument(db.prisma, corpusPage(file), file));
  return results;
}

async function tableCounts(db: TestDatabase) {
  const p = db.prisma;
  return {
    articles: await p.article.count(),
    actors: await p.actor.count(),
    aliases: await p.actorAlias.count(),
    mentions: await p.mention.count(),
    links: await p.relatedLink.count(),
    sources: await p.sourceDocument.count(),
    trends: await p.trendEvent.count(),
    categories: await p.category.count(),
  };
}

for (const target of await testTargets()) {
  describe(`ingestDocument on ${target}`, () => {
    let db: TestDatabase;
    const statements: string[] = [];
    beforeEach(async () => {
      statements.length = 0;
      db = await createTestDatabase(target, { onQuery: (sql) => statements.push(sql) });
    });
    afterEach(async () => db.dispose());

    it('stores the corpus as 5 full articles and 3 stubs with their links', async () => {
      const results = await ingestCorpus(db);
      expect(results.map((r) => r.outcome)).toEqual(['CREATED', 'CREATED', 'CREATED', 'CREATED', 'CREATED']);
      expect(await db.prisma.article.count()).toBe(8);
      expect(await db.prisma.article.count({ where: { isStub: false } })).toBe(5);
      expect(await db.prisma.article.count({ where: { isStub: true } })).toBe(3);
      const imageLosses = await db.prisma.article.findFirstOrThrow({
        where: { title: IMAGE_LOSSES },
        include: { incomingLinks: { include: { source: true } } },
      });
      expect(imageLosses.isStub).toBe(true);
      expect(imageLosses.incomingLinks).toHaveLength(3);
      expect(imageLosses.incomingLinks.every((link) => link.kind === 'EDITORIAL' && link.position === 0)).toBe(true);
      const security = await db.prisma.article.findFirstOrThrow({
        where: { title: { startsWith: 'Minsk aims' } },
        include: { category: true },
      });
      expect(security.category?.name).toBe('Security');
      expect(security.imageCredit).toBe('www.mil.by');
      expect(security.publishedAt.toISOString()).toBe('2017-08-07T09:25:00.000Z');
    });

    it('resolves Makey/Makei and Lukashenko/Lukashenka to one actor each, with every alias', async () => {
      await ingestCorpus(db);
      const aliasesOf = async (surface: string) =>
        db.prisma.actor.findFirstOrThrow({ where: { aliases: { some: { surface } } }, include: { aliases: true } });
      const makey = await aliasesOf('Makey');
      expect((await aliasesOf('Makei')).id).toBe(makey.id);
      expect(makey.kind).toBe('PERSON');
      expect(makey.aliases.map((a) => a.surface)).toEqual(expect.arrayContaining(['Makey', 'Makei', 'Vladimir Makey']));
      const lukashenko = await aliasesOf('Lukashenko');
      expect((await aliasesOf('Lukashenka')).id).toBe(lukashenko.id);
      expect(await db.prisma.actor.count({ where: { name: { contains: 'Lukashenk' } } })).toBe(1);
      // Counted per article: 001 names Makey three times (Vladimir Makey, Minister Makey, Makey).
      const mention = await db.prisma.mention.findFirstOrThrow({
        where: { actorId: makey.id, article: { title: { startsWith: 'Belarusian Foreign Ministry requests' } } },
      });
      expect(mention.count).toBe(3);
    });

    it('reports UNCHANGED for the same bytes again and writes nothing', async () => {
      await ingestCorpus(db);
      const before = await tableCounts(db);
      statements.length = 0;
      const again = await ingestCorpus(db);
      expect(again.map((r) => r.outcome)).toEqual(Array(5).fill('UNCHANGED'));
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((sql) => /^\s*(INSERT|UPDATE|DELETE|BEGIN|COMMIT)\b/i.test(sql))).toEqual([]);
      expect(await tableCounts(db)).toEqual(before);
    });

    it('appends one trend event per article first available in full, with gap-free sequences', async () => {
      await ingestCorpus(db);
      const events = await db.prisma.trendEvent.findMany({ orderBy: { sequence: 'asc' }, include: { article: true } });
      expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(events.every((e) => !e.article.isStub)).toBe(true);
    });

    it('upgrades a stub in place when its full page arrives, and publishes it then', async () => {
      await ingestCorpus(db);
      const stub = await db.prisma.article.findFirstOrThrow({ where: { title: IMAGE_LOSSES } });
      const full = page(IMAGE_LOSSES, 'October 02, 2017 11:49', [
        'The full first paragraph.',
        'Second.',
        'Third.',
        'Fourth.',
        'Fifth.',
      ]);
      const result = await ingestDocument(db.prisma, full, 'image-losses.txt');
      expect(result).toMatchObject({ outcome: 'UPDATED', articleId: stub.id, trendSequence: 6 });
      const upgraded = await db.prisma.article.findUniqueOrThrow({
        where: { id: stub.id },
        include: { incomingLinks: true },
      });
      expect(upgraded).toMatchObject({
        isStub: false,
        slug: stub.slug,
        paragraphs: ['The full first paragraph.', 'Second.', 'Third.', 'Fourth.', 'Fifth.'],
      });
      expect(upgraded.incomingLinks).toHaveLength(3);
      expect(await db.prisma.article.count()).toBe(8);
    });

    it('never replaces a full body with an excerpt of itself', async () => {
      const body = ['One long paragraph of the full article.', 'Another paragraph.', 'A third one.'];
      const full = await ingestDocument(db.prisma, page('The full story', 'May 1, 2017 10:00', body), 'full.txt');
      const citing = page(
        'Another page',
        'May 2, 2017 10:00',
        ['It cites the full story.'],
        [{ title: 'The full story', date: 'May 1, 2017 10:00', paragraphs: ['One long paragraph'] }],
      );
      await ingestDocument(db.prisma, citing, 'citing.txt');
      const stored = await db.prisma.article.findUniqueOrThrow({ where: { id: full.articleId } });
      expect(stored).toMatchObject({ isStub: false, paragraphs: body });
      expect(await db.prisma.relatedLink.count({ where: { targetId: full.articleId } })).toBe(1);
    });

    it('keeps related links in page order and skips a page listing itself', async () => {
      const excerpts = ['Zeta', 'Alpha', 'Mu'].map((title, i) => ({
        title: `${title} story`,
        date: `June ${i + 1}, 2017 10:00`,
        paragraphs: [`${title} excerpt.`],
      }));
      const self = { title: 'The page', date: 'July 1, 2017 10:00', paragraphs: ['Itself.'] };
      const result = await ingestDocument(
        db.prisma,
        page('The page', 'July 1, 2017 10:00', ['Body.'], [excerpts[0]!, self, ...excerpts.slice(1)]),
        'p.txt',
      );
      const links = await db.prisma.relatedLink.findMany({
        where: { sourceId: result.articleId },
        orderBy: { position: 'asc' },
        include: { target: true },
      });
      expect(links.map((l) => [l.position, l.target.title])).toEqual([
        [0, 'Zeta story'],
        [1, 'Alpha story'],
        [2, 'Mu story'],
      ]);
    });

    it('computes up to 5 links after the editorial ones, by shared actors weighted by rarity and same category', async () => {
      const talks = page(
        'Security: Talks in Minsk',
        'May 1, 2017 10:00',
        ['Foreign Minister Makei met Sergei Lavrov in Minsk.'],
        [{ title: 'An excerpted story', date: 'April 1, 2017 10:00', paragraphs: ['Makei and Lavrov, briefly.'] }],
      );
      // Weather first: ingesting Lavrov last then refreshes Talks with the final weights.
      const pages = {
        weather: page('Economy: Weather', 'May 5, 2017 10:00', ['Rain fell all week.']),
        talks,
        pair: page('Security: Makei and Lavrov again', 'May 2, 2017 10:00', ['Makei and Lavrov spoke by phone.']),
        minsk: page('Security: Minsk alone', 'May 3, 2017 10:00', ['Minsk said nothing new.']),
        lavrov: page('Politics: Lavrov abroad', 'May 4, 2017 10:00', ['Sergei Lavrov travelled.']),
      };
      const ids: Record<string, number> = {};
      for (const [name, text] of Object.entries(pages))
        ids[name] = (await ingestDocument(db.prisma, text, `${name}.txt`)).articleId;
      const linksOf = async (sourceId: number) =>
        (await db.prisma.relatedLink.findMany({ where: { sourceId }, orderBy: { position: 'asc' } })).map((l) => ({
          position: l.position,
          kind: l.kind,
          target: Object.keys(ids).find((name) => ids[name] === l.targetId) ?? 'stub',
          score: l.score,
        }));

      // Five full articles. Weights ln(6/df): Makei (2 articles) and Belarus (2) ln 3, Lavrov (3) ln 2.
      const talksWeight = 2 * Math.log(3) + Math.log(2);
      const links = await linksOf(ids.talks!);
      expect(links.map(({ position, kind, target }) => [position, kind, target])).toEqual([
        [0, 'EDITORIAL', 'stub'],
        [1, 'COMPUTED', 'pair'],
        [2, 'COMPUTED', 'minsk'],
        [3, 'COMPUTED', 'lavrov'],
      ]);
      expect(links[0]!.score).toBeNull();
      expect(links[1]!.score).toBeCloseTo((0.8 * (Math.log(3) + Math.log(2))) / talksWeight + 0.2, 4);
      expect(links[2]!.score).toBeCloseTo((0.8 * Math.log(3)) / talksWeight + 0.2, 4);
      expect(links[3]!.score).toBeCloseTo((0.8 * Math.log(2)) / talksWeight, 4);
      expect(await linksOf(ids.weather!)).toEqual([]);

      // Talks stops naming Lavrov: Lavrov's page, which linked to it, is recomputed too.
      expect((await linksOf(ids.lavrov!)).map((link) => link.target)).toEqual(
        expect.arrayContaining(['talks', 'pair']),
      );
      await ingestDocument(db.prisma, talks.replace('met Sergei Lavrov in Minsk', 'stayed in Minsk'), 'talks-v2.txt');
      expect((await linksOf(ids.lavrov!)).map((link) => link.target)).toEqual(['pair']);
      expect((await linksOf(ids.talks!)).map((link) => link.target)).toEqual(['stub', 'minsk', 'pair']);
    });

    it('ingests a run in batches, leaving computed links as a fresh recomputation would', async () => {
      const sources = [
        ...CORPUS_FILES.map((file) => ({ name: file, read: async () => corpusPage(file) })),
        ...Array.from({ length: 30 }, (_, n) => ({
          name: `synthetic-${n}.txt`,
          read: async () => syntheticPage(n, 30),
        })),
        { name: 'empty.txt', read: async () => '' },
      ];
      const reports = await ingestMany(db.prisma, sources);
      // Reports come back in input order, whatever order they were known in.
      expect(reports.map((report) => report.file)).toEqual(sources.map((source) => source.name));
      expect(reports.at(-1)).toMatchObject({ outcome: 'REJECTED', reason: 'EMPTY' });
      // UPDATED: a page that an earlier page's excerpt had made a stub.
      expect(new Set(reports.slice(0, -1).map((report) => report.outcome))).toEqual(new Set(['CREATED', 'UPDATED']));
      expect(await db.prisma.article.count({ where: { isStub: false } })).toBe(sources.length - 1);
      const trends = await db.prisma.trendEvent.findMany({ orderBy: { sequence: 'asc' } });
      expect(trends.map((trend) => trend.sequence)).toEqual(trends.map((_, i) => i + 1));

      const computedLinks = () =>
        db.prisma.relatedLink.findMany({
          where: { kind: 'COMPUTED' },
          orderBy: [{ sourceId: 'asc' }, { position: 'asc' }],
          select: { sourceId: true, targetId: true, position: true, score: true },
        });
      const afterBatch = await computedLinks();
      expect(afterBatch.length).toBeGreaterThan(0);
      const fullArticles = await db.prisma.article.findMany({ where: { isStub: false }, select: { id: true } });
      await refreshComputedLinksOf(
        db.prisma,
        fullArticles.map((article) => article.id),
      );
      expect(await computedLinks()).toEqual(afterBatch);
    });

    it('recomputes mentions when a page changes', async () => {
      const first = await ingestDocument(
        db.prisma,
        page('Talks', 'May 1, 2017 10:00', ['Minsk met Moscow.']),
        'v1.txt',
      );
      const second = await ingestDocument(
        db.prisma,
        page('Talks', 'May 1, 2017 10:00', ['Minsk met Warsaw. Minsk again.']),
        'v2.txt',
      );
      expect(second).toMatchObject({ outcome: 'UPDATED', articleId: first.articleId, trendSequence: null });
      const mentions = await db.prisma.mention.findMany({
        where: { articleId: first.articleId },
        include: { actor: true },
      });
      expect(mentions.map((m) => [m.actor.name, m.count]).sort()).toEqual([
        ['Belarus', 2],
        ['Poland', 1],
      ]);
      expect(await db.prisma.sourceDocument.count({ where: { articleId: first.articleId } })).toBe(2);
    });

    it('rejects a bad document with a typed error and writes nothing', async () => {
      await ingestCorpus(db);
      const before = await tableCounts(db);
      for (const bad of ['', 'Only a title', 'Title\n\nMay 45, 2017 10:00\n\nBody.', Buffer.from([0, 159, 146, 150])]) {
        await expect(ingestDocument(db.prisma, bad, 'bad.txt')).rejects.toBeInstanceOf(DocumentRejectedError);
      }
      expect(await tableCounts(db)).toEqual(before);
    });

    it('yields one article from two concurrent ingests of the same page', async () => {
      const [a, b] = await Promise.all([
        ingestDocument(db.prisma, corpusPage(CORPUS_FILES[2]!), 'a.txt'),
        ingestDocument(db.prisma, corpusPage(CORPUS_FILES[2]!), 'b.txt'),
      ]);
      expect(a.articleId).toBe(b.articleId);
      expect([a.outcome, b.outcome].sort()).toEqual(['CREATED', 'UNCHANGED']);
      expect(await db.prisma.article.count()).toBe(2);
      expect(await db.prisma.trendEvent.count()).toBe(1);
    });

    it('stores overlapping pages ingested concurrently without duplicates or gaps', async () => {
      const results = await Promise.all(CORPUS_FILES.map((file) => ingestDocument(db.prisma, corpusPage(file), file)));
      expect(results.every((r) => r.outcome === 'CREATED')).toBe(true);
      expect(await db.prisma.article.count()).toBe(8);
      const sequences = (await db.prisma.trendEvent.findMany({ orderBy: { sequence: 'asc' } })).map((e) => e.sequence);
      expect(sequences).toEqual([1, 2, 3, 4, 5]);
      expect(await db.prisma.relatedLink.count({ where: { target: { title: IMAGE_LOSSES } } })).toBe(3);
    });

    it('fills the stored search vector from title and body, Cyrillic included', async () => {
      await ingestDocument(
        db.prisma,
        page('Фота day', 'May 1, 2017 10:00', ['Еўрарадыё reported on manoeuvres.']),
        'cyr.txt',
      );
      const rows = await db.prisma.$queryRaw<{ title: string }[]>`
        SELECT title FROM "Article" WHERE "searchVector" @@ websearch_to_tsquery('english', 'manoeuvre Еўрарадыё')`;
      expect(rows.map((r) => r.title)).toEqual(['Фота day']);
    });
  });
}
