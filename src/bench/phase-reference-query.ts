// The reference query: SQL statements per request at two page sizes (flat, unlike a
// resolver-per-field server), and throughput against that naive server in a process of
// its own on the same database.

import { fork } from 'node:child_process';
import { join } from 'node:path';
import { type App, createApp } from '../server/app.ts';
import { type Bench, graphqlBody, REFERENCE } from './bench.ts';
import { BENCH_DIR, httpLoad } from './processes.ts';
import { fmt, mean } from './report.ts';

/** The naive baseline (naive-process.ts): its URL, its statements per query, and stop. */
export async function startNaiveServer(databaseUrl: string) {
  // In a child process: sharing this process, its garbage and its statements would weigh
  // on the figures of the server being measured.
  const naive = fork(join(BENCH_DIR, 'naive-process.ts'), [databaseUrl], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const fromNaive = (type: string) =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the naive server exited (${code})`));
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        naive.off('message', onMessage).off('exit', onExit);
        resolve(message as never);
      };
      naive.on('message', onMessage).once('exit', onExit);
    });
  const { port } = await fromNaive('listening');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async statementsFor(first: number) {
      const answer = fromNaive('statements');
      naive.send({ type: 'statements', query: REFERENCE(first) });
      const { count } = await answer;
      if (count! < 0) throw new Error('the naive server failed the reference query');
      return count!;
    },
    async stop() {
      const exited = new Promise((resolve) => naive.once('exit', resolve));
      naive.send({ type: 'stop' });
      await exited;
    },
  };
}

export type NaiveServer = Awaited<ReturnType<typeof startNaiveServer>>;

export async function measureStatements(bench: Bench, app: App, naive: NaiveServer): Promise<void> {
  const statementsFor = async (first: number) =>
    (
      await bench.statementsOf(async () => {
        const response = await app.yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: graphqlBody(REFERENCE(first)),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`reference query failed: ${JSON.stringify(body.errors)}`);
      })
    ).length;
  const at10 = await statementsFor(10);
  const at100 = await statementsFor(100);
  bench.report.record(
    'reference query, SQL statements at first: 10 / first: 100',
    `${at10} / ${at100}`,
    'equal',
    at10 === at100,
  );
  bench.report.record(
    'the same on the naive server: SQL statements at first: 10 / first: 100',
    `${await naive.statementsFor(10)} / ${await naive.statementsFor(100)}`,
  );
}

/** Throughput at each concurrency, and against the naive server at 16, alternating. */
export async function measureThroughput(bench: Bench, url: string, naive: NaiveServer, label: string): Promise<void> {
  const { sizes, report } = bench;
  const referenceBody = graphqlBody(REFERENCE(10));
  const warmUp = async (target: string) => {
    for (let n = 0; n < 3; n++) {
      await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: referenceBody });
    }
  };
  await warmUp(url);
  await warmUp(naive.url);
  const oursLoad = async (connections: number) => {
    const result = await httpLoad(url, connections, referenceBody, sizes.httpSeconds);
    if (result.failed) throw new Error(`${result.failed} failed requests under load`);
    return result;
  };
  let ours16 = 0;
  for (const connections of sizes.concurrency) {
    const result = await oursLoad(connections);
    if (connections === 16) ours16 = result.rps;
    report.record(
      `reference query (first: 10), ${label}, concurrency ${connections}: req/s · p50 · p99 (ms)`,
      `${fmt(result.rps)} · ${result.p50} · ${result.p99}`,
    );
  }
  // Ours and the naive server alternate twice, so a drift in the machine's speed (large
  // on shared virtual machines) weighs on both sides of the ratio alike.
  const naiveLoad = async () => {
    // A longer window for the naive server, and at least one request per connection: at
    // one query per parent field its first requests complete late, and a smoke window
    // beside other test suites saw none complete.
    const baseline = await httpLoad(naive.url, 16, referenceBody, Math.ceil(sizes.httpSeconds * 1.5), 16);
    if (baseline.failed || !(baseline.rps > 0)) {
      throw new Error(`the naive baseline failed under load: ${JSON.stringify(baseline)}`);
    }
    return baseline.rps;
  };
  const naive16 = [await naiveLoad()];
  const ours16s = [ours16, (await oursLoad(16)).rps];
  naive16.push(await naiveLoad());
  const ratio = mean(ours16s) / mean(naive16);
  report.record(
    `throughput vs naive resolvers, ${label}, concurrency 16, mean of two alternations (${fmt(mean(ours16s))} vs ${fmt(mean(naive16))} req/s)`,
    `${fmt(ratio)}×`,
    '≥ 5×',
    ratio >= 5,
  );
}

/**
 * The same query answered from the response cache (docs/operations.md), by a second
 * server on the same database with its cache on; the rows above are without it, as
 * their goals are about executing the query. A hit still reads the archive's revision.
 */
export async function measureCachedThroughput(bench: Bench, label: string): Promise<void> {
  const { database, sizes, report } = bench;
  const cachedApp = createApp({
    prisma: database.prisma,
    sql: database.sql,
    production: true,
    limits: { rateLimitPoints: 1_000_000_000 },
    log: () => {},
    operations: { responseCache: { ttlMs: 3_600_000 } },
  });
  const cachedUrl = `http://127.0.0.1:${await cachedApp.start(0)}/graphql`;
  const referenceBody = graphqlBody(REFERENCE(10));
  for (let n = 0; n < 3; n++) {
    await fetch(cachedUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: referenceBody });
  }
  const cached = await httpLoad(cachedUrl, 16, referenceBody, sizes.httpSeconds);
  if (cached.failed) throw new Error(`${cached.failed} failed requests to the cached server`);
  report.record(
    `reference query (first: 10) served from the response cache, ${label}, concurrency 16: req/s · p50 · p99 (ms)`,
    `${fmt(cached.rps)} · ${cached.p50} · ${cached.p99}`,
  );
  await cachedApp.stop();
}
