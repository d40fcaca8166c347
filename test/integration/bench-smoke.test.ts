// `npm run bench:smoke`: the benchmark's code on tiny sizes, so it never rots. Only the
// presence of every figure is checked here; speed belongs to `npm run bench`.

import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { testTargets } from '../support/databases.ts';

const FIGURES = [
  /ingestion, 100 new pages \(pages\/s\)/,
  /ingestion, the same 100 pages again, unchanged/,
  /reference query, SQL statements at first: 10 \/ first: 100 \| (\d+) \/ \1 \|/,
  /reference query \(first: 10\), 100 articles, concurrency 1:/,
  /throughput vs naive resolvers, 100 articles/,
  /reference query \(first: 10\) served from the response cache, 100 articles, concurrency 16:/,
  /throughput vs naive resolvers, 1,000 articles/,
  /reference query \(first: 20\) vs PostGraphile 5 on 100 articles, concurrency 1:/,
  /reference query \(first: 20\) vs PostGraphile 5 on 100 articles, concurrency 16:/,
  /the same, CPU per request at concurrency 16/,
  /search, 20 queries on 1,000 articles: p50 · p95/,
  /search vs an ILIKE scan/,
  /fan-out to 50 WebSocket subscribers, publish → receive/,
  /fan-out to 50 subscribers, the first event after they subscribed \(cold\)/,
  /server memory per idle subscriber at 50/,
  /SQL statements per event at 50 subscribers/,
  /cold start on the embedded database/,
];

describe.runIf((await testTargets()).includes('postgres'))('npm run bench:smoke', () => {
  it('runs every measurement on tiny sizes and prints the table', async () => {
    // Without DATABASE_URL the smoke run uses a database of its own and drops it.
    const { code, stdout, stderr } = await runCli('src/bench/run.ts', ['--smoke'], { DATABASE_URL: '' });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('| figure | measured | goal | result |');
    for (const figure of FIGURES) expect(stdout).toMatch(figure);
    for (const line of stdout
      .split('\n')
      .filter((row) => row.startsWith('| ') && !row.startsWith('| figure') && !row.startsWith('| ---'))) {
      expect(line).toMatch(/\| (PASS|FAIL|—) \|$/);
    }
  }, 240_000);
});
