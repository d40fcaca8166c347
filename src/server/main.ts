// `npm start`: serves GraphQL with GraphiQL at http://localhost:$PORT/graphql after
// preparing the archive (migrations; the bundled corpus on an empty database).
//
// It listens first, so /healthz answers at once and /readyz tells when the archive is
// ready. A PostgreSQL server that is unreachable at start is retried (with a log line
// each time) until it answers. SIGTERM/SIGINT: stop gracefully (see App.stop) and exit
// 0, or exit 1 if that takes longer than SHUTDOWN_DEADLINE_MS.

import { readConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { describeArchive, prepareOpenDatabase } from '../db/prepare.ts';
import { createTrendSignals } from '../feed/trend-feed.ts';
import { readLimits } from './limits.ts';
import { createRateLimiter, createSharedRateLimiter } from './rate-limit.ts';

const SHUTDOWN_DEADLINE_MS = 9_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

async function main(): Promise<void> {
  const config = readConfig();
  const limits = readLimits();
  const where =
    config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${config.database.dataDir ?? 'in memory'})`;
  console.log(`archive database: ${where}`);
  // Opening the database (PGlite compiles WebAssembly) overlaps with loading the server
  // modules: a shorter cold start.
  const [database, { createApp }] = await Promise.all([openDatabase(config.database), import('./app.ts')]);
  const app = createApp({
    prisma: database.prisma,
    signals: createTrendSignals(config.redisUrl),
    trendPollIntervalMs: config.trendPollMs,
    production: config.production,
    limits,
    corsOrigins: config.corsOrigins,
    trustedProxyHops: config.trustedProxyHops,
    rateLimiter: config.redisUrl
      ? createSharedRateLimiter(limits, { redisUrl: config.redisUrl })
      : createRateLimiter(limits),
  });
  const port = await app.start(config.port);
  console.log(`listening on http://localhost:${port} (/healthz, /readyz); preparing the archive`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    setTimeout(() => {
      console.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await app.stop();
    await database.close();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  for (let attempt = 0; !stopping; attempt++) {
    try {
      await prepareOpenDatabase(database, { seed: true, log: (message) => console.log(message) });
      break;
    } catch (error) {
      // An embedded database that fails to prepare will not get better by waiting.
      if (config.database.kind !== 'postgres') throw error;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      console.error(`database not ready (${(error as Error).message.split('\n')[0]}); retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  if (stopping) return;
  console.log(await describeArchive(database.prisma));
  console.log(`trend feed and rate limit: ${config.redisUrl ? 'shared through Redis' : 'in this process'}`);
  console.log(`GraphQL API and GraphiQL at http://localhost:${port}/graphql`);
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
