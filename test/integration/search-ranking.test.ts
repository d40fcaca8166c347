// Search ranks alike whichever way a database ranks (src/archive/article-queries.ts):
// PGlite ranks every match ('scan'), PostgreSQL with the RUM extension reads matches in
// rank order from its index ('index'), PostgreSQL without that index ranks like PGlite.
// Each answers the same hits in the same order, with the rank the formula gives: ts_rank
// of the query's positive words joined by OR.
//
// The data: the bundled corpus (stubs included) and synthetic pages, whose repeated
// sentences make runs of equal ranks. Within such a run the order is by id, which the
// same ingestion gives every database; still, two strategies may compute a rank one
// float4 step apart, so orders are compared up to ties: as runs of ranks equal within
// RANK_TOLERANCE, each run as a set.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankingStrategy, rankingStrategy } from '../../src/archive/article-queries.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { rumForTests, type TestTarget, testTargets } from '../support/databases.ts';

const SearchRanking = graphql(`
  query SearchRanking($query: String!, $first: Int!) {
    search(query: $query, first: $first, filter: { includeStubs: true }) {
      edges { node { rank article { slug } } }
      pageInfo { hasNextPage }
    }
  }
`);

/** Relative difference within which two ranks count as equal. */
const RANK_TOLERANCE = 1e-6;

/** What ts_rank's rank of a query with no positive word would be: the bug of ranking with the excluded words. */
const RANK_OF_NOTHING = 1e-20;

/** Searches of every kind, each with its positive words as to_tsquery reads them (the formula's query). */
const QUERIES = [
  { query: 'Minsk', positive: 'minsk' },
  { query: 'Kremlin', positive: 'kremlin' },
  { query: 'Belarusian security', positive: 'belarusian | security' },
  { query: '"Belarusian authorities"', positive: 'belarusian | authorities' },
  { query: 'Kyiv or NATO', positive: 'kyiv | nato' },
  { query: 'Kremlin -Syria', positive: 'kremlin' },
  { query: '"regional security" Minsk -Kyiv', positive: 'regional | security | minsk' },
  { query: 'Lukashenka or Makei -NATO', positive: 'lukashenka | makei' },
];

const SYNTHETIC_PAGES = 30;
const RANKING_INDEX = 'Article_searchVector_rank_idx';

interface Setup {
  name: string;
  target: TestTarget;
  strategy: RankingStrategy;
  api?: TestApi;
}

interface Hit {
  slug: string;
  rank: number;
}

function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

/** The hits as runs of ranks equal within RANK_TOLERANCE, best first, each run's slugs sorted. */
function tieRuns(hits: readonly Hit[]): string[][] {
  const runs: { rank: number; slugs: string[] }[] = [];
  for (const hit of hits) {
    const run = runs.at(-1);
    if (run && relativeDifference(run.rank, hit.rank) <= RANK_TOLERANCE) run.slugs.push(hit.slug);
    else runs.push({ rank: hit.rank, slugs: [hit.slug] });
  }
  return runs.map((run) => run.slugs.sort());
}

/** The hits whose rank is not within RANK_TOLERANCE of the one expected, with it (none, when all agree). */
function ranksOff(hits: readonly Hit[], expected: ReadonlyMap<string, number>) {
  return hits
    .filter((hit) => !(relativeDifference(hit.rank, expected.get(hit.slug)!) <= RANK_TOLERANCE))
    .map((hit) => ({ ...hit, expected: expected.get(hit.slug) }));
}

/** The largest page: more than any query here matches, so a search of this size sees the whole ranking. */
const WHOLE_RANKING = 100;

async function search(setup: Setup, query: string, first = WHOLE_RANKING): Promise<Hit[]> {
  const data = await setup.api!.data(SearchRanking, { query, first });
  if (first === WHOLE_RANKING) expect(data.search.pageInfo.hasNextPage).toBe(false);
  return data.search.edges.map((edge) => ({ slug: edge.node.article.slug, rank: edge.node.rank }));
}

/** The formula, computed apart from the API: ts_rank of the positive words, per article. */
async function formulaRanks(setup: Setup, positive: string, slugs: readonly string[]): Promise<Map<string, number>> {
  const rows = await setup.api!.db.sql.query<{ slug: string; rank: number }>(
    `SELECT a.slug, ts_rank(a."searchVector", to_tsquery('english', $1::text))::float8 AS rank
     FROM "Article" a WHERE a.slug = ANY($2::text[])`,
    [positive, slugs],
  );
  return new Map(rows.map((row) => [row.slug, Number(row.rank)]));
}

const targets = await testTargets();
const withRum = targets.includes('postgres') && (await rumForTests());
const setups: Setup[] = [
  ...(targets.includes('pglite') ? [{ name: 'PGlite', target: 'pglite', strategy: 'scan' } as const] : []),
  ...(withRum ? [{ name: 'PostgreSQL with the RUM index', target: 'postgres', strategy: 'index' } as const] : []),
  ...(targets.includes('postgres')
    ? [{ name: 'PostgreSQL without the RUM index', target: 'postgres', strategy: 'scan' } as const]
    : []),
].map((setup) => ({ ...setup }));
/** What the others are compared with: the index where there is one. */
const reference = setups.find((setup) => setup.strategy === 'index') ?? setups[0]!;

describe('search ranking by strategy', () => {
  beforeAll(async () => {
    for (const setup of setups) {
      setup.api = await createTestApi(setup.target, {
        syntheticPages: SYNTHETIC_PAGES,
        // PostgreSQL without the index ranks like PGlite (which has none to drop).
        prepareDatabase:
          setup.strategy === 'scan'
            ? async (db) => void (await db.sql.query(`DROP INDEX IF EXISTS "${RANKING_INDEX}"`, []))
            : undefined,
      });
    }
  });
  afterAll(async () => {
    for (const setup of setups) await setup.api?.close();
  });

  for (const setup of setups) {
    it(`${setup.name} ranks with the ${setup.strategy} strategy`, async () => {
      expect(await rankingStrategy(setup.api!.db.sql)).toBe(setup.strategy);
    });

    it(`${setup.name}: every hit's rank is the formula's (ts_rank of the positive words), within ${RANK_TOLERANCE} relative`, async () => {
      for (const { query, positive } of QUERIES) {
        const hits = await search(setup, query);
        expect(hits.length, query).toBeGreaterThan(1);
        // Every form (words, phrases, or, exclusions) ranks its hits above zero, best first.
        const ranks = hits.map((hit) => hit.rank);
        expect(Math.min(...ranks), query).toBeGreaterThan(RANK_OF_NOTHING);
        expect(ranks, query).toEqual([...ranks].sort((a, b) => b - a));
        const formula = await formulaRanks(
          setup,
          positive,
          hits.map((hit) => hit.slug),
        );
        expect(ranksOff(hits, formula), query).toEqual([]);
      }
    });

    it(`${setup.name}: a query with an exclusion ranks by its positive words, best first`, async () => {
      const excluding = await search(setup, 'Kremlin -Syria');
      const kremlin = new Map((await search(setup, 'Kremlin')).map((hit) => [hit.slug, hit.rank]));
      const ranks = excluding.map((hit) => hit.rank);
      expect(new Set(ranks).size).toBeGreaterThan(2);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      expect(ranks).not.toContain(RANK_OF_NOTHING);
      expect(Math.min(...ranks)).toBeGreaterThan(0);
      // Excluding Syria drops articles, and ranks the rest exactly as "Kremlin" alone does.
      expect(kremlin.size).toBeGreaterThan(excluding.length);
      expect(excluding.map((hit) => [hit.slug, kremlin.get(hit.slug)])).toEqual(
        excluding.map((hit) => [hit.slug, hit.rank]),
      );
    });

    it(`${setup.name}: a short page is the head of the whole ranking`, async () => {
      for (const { query } of QUERIES) {
        const whole = await search(setup, query);
        expect(await search(setup, query, 3), query).toEqual(whole.slice(0, 3));
      }
    });
  }

  for (const setup of setups.filter((other) => other !== reference)) {
    it(`${setup.name} returns the hits of ${reference.name} in the same order (up to ties), ranked the same`, async () => {
      for (const { query } of QUERIES) {
        const expected = await search(reference, query);
        const actual = await search(setup, query);
        expect(tieRuns(actual), query).toEqual(tieRuns(expected));
        expect(ranksOff(actual, new Map(expected.map((hit) => [hit.slug, hit.rank]))), query).toEqual([]);
      }
    });
  }
});
