// Test databases: every integration suite runs against each selected target and owns
// its database (a fresh in-memory PGlite, or a fresh PostgreSQL database dropped after).
//
// TEST_DATABASES=pglite,postgres (default both). PostgreSQL is skipped when unreachable,
// and the run's summary says so (skips.ts), except in CI (CI=true) or when named
// explicitly: then it fails.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Database, type OpenDatabaseOptions, openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { reportSkipped } from './skips.ts';

export type TestTarget = 'pglite' | 'postgres';

const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

let targets: Promise<TestTarget[]> | undefined;

export function testTargets(): Promise<TestTarget[]> {
  targets ??= (async () => {
    const named = process.env.TEST_DATABASES;
    const wanted = (named ?? 'pglite,postgres')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    for (const name of wanted) {
      if (name !== 'pglite' && name !== 'postgres') throw new Error(`TEST_DATABASES: unknown target "${name}"`);
    }
    const selected = wanted as TestTarget[];
    if (!selected.includes('postgres')) return selected;
    const required = process.env.CI === 'true' || named !== undefined;
    if (required || (await postgresReachable())) return selected;
    reportSkipped('PostgreSQL', `PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable`);
    return selected.filter((target) => target !== 'postgres');
  })();
  return targets;
}

export interface TestDatabase extends Database {
  /** Closes the connections and drops what the test created. */
  dispose(): Promise<void>;
  /** For child processes: the DATABASE_URL of this database (PostgreSQL only). */
  url: string | null;
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Whether the PostgreSQL server offers the RUM extension (Debian package postgresql-15-rum),
 * so search ranks through its index there. Like a missing service: skipped on a developer
 * machine (the run's summary says so), a failure in CI, where .ci/run installs it.
 */
export async function rumForTests(): Promise<boolean> {
  const [row] = await adminQuery<{ found: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') AS found",
  );
  if (row?.found) return true;
  if (process.env.CI === 'true') {
    throw new Error('PostgreSQL has no RUM extension (postgresql-15-rum), and CI requires it');
  }
  reportSkipped('RUM', 'PostgreSQL has no RUM extension (install postgresql-15-rum)');
  return false;
}

/** A migrated, empty archive database on the target. */
export async function createTestDatabase(target: TestTarget, options: OpenDatabaseOptions = {}): Promise<TestDatabase> {
  if (target === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null }, options);
    await applyMigrations(database.adapterFactory);
    return { ...database, url: null, dispose: () => database.close() };
  }
  const name = `archive_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(name);
  const database = await openDatabase({ kind: 'postgres', url }, options);
  try {
    await applyMigrations(database.adapterFactory);
  } catch (error) {
    await database.close();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
  return {
    ...database,
    url,
    async dispose() {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
