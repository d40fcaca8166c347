// `npm start`: prepares the archive (migrations, the bundled corpus on an empty
// database) and serves GraphQL with GraphiQL at http://localhost:$PORT/graphql.

import { readConfig } from '../config.ts';
import { describeArchive, prepareDatabase } from '../db/prepare.ts';
import { createApp } from './app.ts';

async function main(): Promise<void> {
  const config = readConfig();
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${config.database.dataDir ?? 'in memory'})`;
  console.log(`archive database: ${where}`);
  const database = await prepareDatabase(config, { seed: true, log: (message) => console.log(message) });
  console.log(await describeArchive(database.prisma));
  const app = createApp({ prisma: database.prisma, production: process.env.NODE_ENV === 'production' });
  const port = await app.start(config.port);
  console.log(`GraphQL API and GraphiQL at http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await app.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: Error) => {
  console.error(`start failed: ${error.message}`);
  process.exit(1);
});
