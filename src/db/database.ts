// Opens the archive's database: embedded PGlite or a PostgreSQL server, chosen by
// DATABASE_URL (see config.ts). Callers get one Prisma client and the adapter factory
// the migration runner needs; both speak the same PostgreSQL dialect.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseLocation } from '../config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { type OwnedAdapterFactory, pgliteAdapterFactory, postgresAdapterFactory } from './adapters.ts';
import { sendingListsAsArrays } from './array-parameters.ts';
import { lockPgliteDirectory } from './pglite-lock.ts';
import type { SqlRunner, StatementObserver } from './sql.ts';

export interface Database {
  prisma: PrismaClient;
  /** Direct SQL for the read side's hot paths; reports statements to `onQuery` like Prisma's. */
  sql: SqlRunner;
  adapterFactory: OwnedAdapterFactory;
  location: DatabaseLocation;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * Called with every SQL statement sent, through Prisma or direct (tests count statements
   * with it), and its parameters as sent.
   */
  onQuery?: StatementObserver;
}

async function openAdapterFactory(location: DatabaseLocation): Promise<OwnedAdapterFactory> {
  if (location.kind === 'postgres') return postgresAdapterFactory(location.url);
  if (location.dataDir === null) return pgliteAdapterFactory(await PGlite.create());
  // PGlite does not create missing parent directories itself.
  await mkdir(dirname(location.dataDir), { recursive: true });
  const unlock = await lockPgliteDirectory(location.dataDir);
  try {
    const factory = pgliteAdapterFactory(await PGlite.create(location.dataDir));
    return {
      ...factory,
      async close() {
        await factory.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<Database> {
  const adapterFactory = await openAdapterFactory(location);
  // Prisma's queries reach the driver with every `in` list as one array parameter, and are
  // reported to onQuery as sent (array-parameters.ts).
  const prisma = new PrismaClient({
    adapter: {
      ...adapterFactory,
      connect: async () => sendingListsAsArrays(await adapterFactory.connect(), options.onQuery),
    },
  });
  return {
    prisma,
    sql: adapterFactory.sqlRunner(options.onQuery),
    adapterFactory,
    location,
    async close() {
      await prisma.$disconnect();
      await adapterFactory.close();
    },
  };
}
