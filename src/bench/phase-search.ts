// Search: latency of 20 varied queries through the API at the archive's large size, and
// the same answer's shape from an ILIKE scan for comparison.

import type { App } from '../server/app.ts';
import { type Bench, graphqlBody } from './bench.ts';
import { fmt, percentile } from './report.ts';

/** From common to rare, phrases, OR and negation: 1 % to 60 % of the synthetic archive match. */
const SEARCHES = [
  'Lavrov',
  'security guarantees',
  'Kremlin -Putin',
  '"joint military drills"',
  'transit OR energy',
  'Makei',
  'Lukashenko visa',
  'NATO',
  'sanctions relief',
  'Warsaw border',
  'human rights',
  'Kravchenko',
  'energy balance',
  'Beijing investment',
  '"national minorities"',
  'Vilnius -Riga',
  'summit schedule',
  'trade quotas',
  'Ambassador Novik',
  'Minsk negotiating platform',
];

const SEARCH_QUERY =
  'query($q: String!) { search(query: $q, first: 10) { totalCount edges { node { rank headline article { title } } } } }';

export async function measureSearch({ sizes, database, report }: Bench, app: App): Promise<void> {
  const searchLatencies: number[] = [];
  const ilikeLatencies: number[] = [];
  for (let repeat = 0; repeat < sizes.searchRepeats; repeat++) {
    for (const text of SEARCHES) {
      const t0 = performance.now();
      const response = await app.yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: graphqlBody(SEARCH_QUERY, { q: text }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`search failed: ${JSON.stringify(body.errors)}`);
      searchLatencies.push(performance.now() - t0);
      // The same answer's shape without the full-text machinery: a page of ten and the
      // number of matches (without the count, ILIKE would stop at the tenth recent match).
      // Every scan reads the whole archive, so two rounds are enough for its median.
      if (repeat >= 2) continue;
      const word = `%${
        text
          .replace(/["-]|OR /g, '')
          .trim()
          .split(/\s+/)[0]
      }%`;
      const t1 = performance.now();
      await database.prisma
        .$queryRaw`SELECT id, title, count(*) OVER () AS total FROM "Article" WHERE NOT "isStub" AND (title ILIKE ${word} OR body ILIKE ${word}) ORDER BY "publishedAt" DESC LIMIT 10`;
      ilikeLatencies.push(performance.now() - t1);
    }
  }
  const searchP95 = percentile(searchLatencies, 95);
  report.record(
    `search, 20 queries on ${fmt(sizes.large, 0)} articles: p50 · p95 (ms)`,
    `${fmt(percentile(searchLatencies, 50))} · ${fmt(searchP95)}`,
    'p95 ≤ 20',
    searchP95 <= 20,
  );
  report.record(
    `search vs an ILIKE scan for its first word, page and count (p50 ${fmt(percentile(searchLatencies, 50))} vs ${fmt(percentile(ilikeLatencies, 50))} ms)`,
    `${fmt(percentile(ilikeLatencies, 50) / percentile(searchLatencies, 50), 2)}× faster`,
  );
}
