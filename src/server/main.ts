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
import { createArchiveChangeSignals } from '../feed/archive-changes.ts';
import { createTrendSignals } from '../feed/trend-feed.ts';
import { readLimits } from './limits.ts';
import { createLogger, type Logger } from './logging.ts';
import { readManifest } from './persisted-operations.ts';
import { createRateLimiter, createSharedRateLimiter } from './rate-limit.ts';

const SHUTDOWN_DEADLINE_MS = 9_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

/** Replaced by the configured logger once the configuration has been read. */
let logger: Logger = createLogger('info');

async function main(): Promise<void> {
  const config = readConfig();
  logger = createLogger(config.operations.logLevel);
  const limits = readLimits();
  const { operations } = config;
  const where =
    config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${config.database.dataDir ?? 'in memory'})`;
  logger.info(`archive database: ${where}`);
  // Opening the database (PGlite compiles WebAssembly) overlaps with loading the server
  // modules: a shorter cold start.
  const [database, { createApp }] = await Promise.all([openDatabase(config.database), import('./app.ts')]);
  const app = createApp({
    prisma: database.prisma,
    sql: database.sql,
    signals: createTrendSignals(config.redisUrl, config.operations.redisKeyPrefix),
    trendPollIntervalMs: config.trendPollMs,
    production: config.production,
    limits,
    corsOrigins: config.corsOrigins,
    trustedProxyHops: config.trustedProxyHops,
    rateLimiter: config.redisUrl
      ? createSharedRateLimiter(limits, {
          redisUrl: config.redisUrl,
          keyPrefix: `${config.operations.redisKeyPrefix}rate-limit`,
        })
      : createRateLimiter(limits),
    operations: {
      logger,
      persistedOperations: {
        mode: operations.persistedOperations,
        manifest: operations.persistedOperationsManifest
          ? readManifest(operations.persistedOperationsManifest)
          : new Map(),
      },
      responseCache: operations.responseCacheTtlMs > 0 ? { ttlMs: operations.responseCacheTtlMs } : undefined,
      archiveChanges: createArchiveChangeSignals(config.redisUrl, operations.redisKeyPrefix),
      metricsToken: operations.metricsToken,
      databasePool: database.adapterFactory.poolUsage,
    },
    subscribers: { ...config.subscribers, webhookDelivery: {} },
  });
  const port = await app.start(config.port);
  logger.info(`listening on http://localhost:${port} (/healthz, /readyz); preparing the archive`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await app.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  for (let attempt = 0; !stopping; attempt++) {
    try {
      await prepareOpenDatabase(database, { seed: true, log: (message) => logger.info(message) });
      break;
    } catch (error) {
      // An embedded database that fails to prepare will not get better by waiting.
      if (config.database.kind !== 'postgres') throw error;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      const reason = (error as Error).message.split('\n')[0]!;
      // The one cause a retry never cures by itself, and the operator's fix for it.
      const hint = /database .* does not exist/i.test(reason) ? ' (create it: createdb, see the README)' : '';
      logger.error(`database not ready (${reason})${hint}; retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  if (stopping) return;
  app.webhookDispatcher?.start();
  logger.info(await describeArchive(database.prisma));
  logger.info(`trend feed and rate limit: ${config.redisUrl ? 'shared through Redis' : 'in this process'}`);
  logger.info(`GraphQL API and GraphiQL at http://localhost:${port}/graphql`);
  logger.info(
    `live page at http://localhost:${port}/live; feeds at http://localhost:${port}/feeds/all.rss (.atom, .json)`,
  );
}

main().catch((error: Error) => {
  logger.fatal(`start failed: ${error.message}`);
  process.exit(1);
});
