// Opens the archive's database: embedded PGlite or a PostgreSQL server, chosen by
// DATABASE_URL (see config.ts). Callers get one Prisma client and the adapter factory
// the migration runner needs; both speak the same PostgreSQL dialect.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseLocation } from '../config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { type OwnedAdapterFactory, pgliteAdapterFactory, postgresAdapterFactory } from './adapters.ts';
import { lockPgliteDirectory } from './pglite-lock.ts';
import type { SqlRunner } from './sql.ts';

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
   * Called with every SQL statement run, Prisma's and direct SQL's (tests count statements
   * with it), and its parameters as each path already has them, so that observing costs
   * nothing more: Prisma's as JSON text, direct SQL's as the values.
   */
  onQuery?: (sql: string, params: string | readonly unknown[]) => void;
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
  const prisma = options.onQuery
    ? new PrismaClient({ adapter: adapterFactory, log: [{ level: 'query', emit: 'event' }] })
    : new PrismaClient({ adapter: adapterFactory });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query, event.params));
  }
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
