// The naive baseline of `npm run bench` in a process of its own, so that its garbage and
// its thousands of statements never share a heap or an event loop with the server being
// measured. Usage (forked by run.ts): naive-process.ts DATABASE_URL. Tells the parent its
// port over IPC; answers {type: 'statements', query} with the number of SQL statements
// that query costs here.

import { createServer } from 'node:http';
import { parseDatabaseUrl } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createNaiveYoga } from './naive-server.ts';

const [databaseUrl] = process.argv.slice(2);
let statements = 0;
const database = await openDatabase(parseDatabaseUrl(databaseUrl), { onQuery: () => statements++ });
const naive = createNaiveYoga(database.prisma);
const server = createServer(naive);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

process.on('message', async (message: { type: string; query?: string }) => {
  if (message.type === 'statements') {
    statements = 0;
    const response = await naive.fetch('http://naive/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: message.query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    process.send!({ type: 'statements', count: body.errors ? -1 : statements });
  } else if (message.type === 'stop') {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    process.exit(0);
  }
});
// A bench that fails stops without saying 'stop'; its listening server would keep this
// process alive forever.
process.on('disconnect', () => process.exit(1));
process.send!({ type: 'listening', port: (server.address() as { port: number }).port });
