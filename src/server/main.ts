// `npm start`: prepares the archive (migrations, the bundled corpus on an empty
// database) and serves GraphQL with GraphiQL at http://localhost:$PORT/graphql.
// SIGTERM/SIGINT: stop gracefully (see App.stop) and exit 0, or exit 1 if that takes
// longer than SHUTDOWN_DEADLINE_MS.

import { readConfig } from '../config.ts';
import { describeArchive, prepareDatabase } from '../db/prepare.ts';
import { createTrendSignals } from '../feed/trend-feed.ts';
import { createApp } from './app.ts';
import { readLimits } from './limits.ts';

const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  const config = readConfig();
  const limits = readLimits();
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${config.database.dataDir ?? 'in memory'})`;
  console.log(`archive database: ${where}`);
  const database = await prepareDatabase(config, { seed: true, log: (message) => console.log(message) });
  console.log(await describeArchive(database.prisma));
  const app = createApp({
    prisma: database.prisma,
    signals: createTrendSignals(config.redisUrl),
    trendPollIntervalMs: config.trendPollMs,
    production: config.production,
    limits,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
  });
  const port = await app.start(config.port);
  console.log(`trend feed: ${config.redisUrl ? 'shared through Redis' : 'in this process'}`);
  console.log(`GraphQL API and GraphiQL at http://localhost:${port}/graphql`);

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
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
