// `npm run bench`: speed, memory and scale of the archive API, measured side by side in
// one run against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench,
// recreated on every run). Prints one markdown table: each figure, its goal, PASS/FAIL.
// `npm run bench:smoke` runs the same code on tiny sizes (the test suite runs it so the
// benchmark never rots; there only the presence of the figures is checked).
//
// One module per phase, run in this order: ingestion; the reference query (statements,
// throughput against a naive server, and against PostGraphile 5); the archive grown to
// its large size; throughput and search there; live fan-out; cold start. The server under
// test runs in this process (in a process of its own against PostGraphile); baselines and
// load generators run in child processes, so generating load never shares a thread with
// serving it.

import { cpus, totalmem } from 'node:os';
import { parseDatabaseUrl } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { applyMigrations } from '../db/migrations.ts';
import { createApp } from '../server/app.ts';
import { type Bench, FULL_SIZES, SMOKE_SIZES } from './bench.ts';
import { dropDatabase, growArchive, recreateDatabase, settle } from './dataset.ts';
import { measureColdStart } from './phase-cold-start.ts';
import { measureFanOut } from './phase-fanout.ts';
import { measureIngestion } from './phase-ingestion.ts';
import { measureAgainstPostGraphile } from './phase-postgraphile.ts';
import {
  measureCachedThroughput,
  measureStatements,
  measureThroughput,
  startNaiveServer,
} from './phase-reference-query.ts';
import { measureSearch } from './phase-search.ts';
import { fmt, log, Report } from './report.ts';

async function main() {
  const started = Date.now();
  const smoke = process.argv.includes('--smoke');
  const sizes = { ...(smoke ? SMOKE_SIZES : FULL_SIZES) };
  // BENCH_PAGES overrides how many pages are ingested (the rest is grown in SQL), for runs
  // that cannot afford the full ingestion; the table says what was measured.
  if (process.env.BENCH_PAGES) sizes.ingest = Number(process.env.BENCH_PAGES);
  // A smoke run gets a database of its own (dropped at the end): test suites of several
  // checkouts may run it at once.
  const databaseUrl =
    process.env.DATABASE_URL || `postgres://postgres@127.0.0.1:5432/${smoke ? `bench_smoke_${process.pid}` : 'bench'}`;
  log(`${smoke ? 'smoke run' : 'full run'} against ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  await recreateDatabase(databaseUrl);
  let counted: string[] | null = null;
  const database = await openDatabase(parseDatabaseUrl(databaseUrl), { onQuery: (sql) => counted?.push(sql) });
  await applyMigrations(database.adapterFactory);
  const bench: Bench = {
    smoke,
    sizes,
    databaseUrl,
    database,
    report: new Report(),
    async statementsOf(work) {
      const statements: string[] = [];
      counted = statements;
      try {
        await work();
      } finally {
        counted = null;
      }
      return statements;
    },
  };

  await measureIngestion(bench);
  await settle(database.prisma);

  const app = createApp({
    prisma: database.prisma,
    sql: database.sql,
    production: true,
    limits: { rateLimitPoints: 1_000_000_000 },
    log: (message) => log(message.slice(0, 2000)),
  });
  const naive = await startNaiveServer(databaseUrl);
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  await measureStatements(bench, app, naive);
  await measureThroughput(bench, url, naive, `${fmt(sizes.ingest, 0)} articles`);
  await measureCachedThroughput(bench, `${fmt(sizes.ingest, 0)} articles`);
  await measureAgainstPostGraphile(bench);

  log(`growing the archive to ${sizes.large} full articles (SQL clones)`);
  await growArchive(database.prisma, sizes.large);
  await measureThroughput(bench, url, naive, `${fmt(sizes.large, 0)} articles`);
  await measureSearch(bench, app);

  await settle(database.prisma);
  await measureFanOut(bench, app, port);
  await app.stop();
  await naive.stop();
  await database.close();

  await measureColdStart(bench);
  if (smoke && !process.env.DATABASE_URL) await dropDatabase(databaseUrl);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  bench.report.print(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, PostgreSQL at ${new URL(databaseUrl).host}; ${smoke ? 'smoke sizes' : 'full sizes'}${process.env.BENCH_PAGES ? ` except BENCH_PAGES=${process.env.BENCH_PAGES}` : ''}; ${fmt((Date.now() - started) / 1000, 0)} s.`,
  );
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
