// Prisma driver-adapter factories for PGlite and PostgreSQL, with our fixes for
// upstream bugs met in pglite-prisma-adapter 0.7.2 and @prisma/adapter-pg 7.10.
// Each fix names its symptom so it can be dropped once upstream has it.

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgliteSqlRunner, postgresSqlRunner, type SqlRunner, type StatementObserver } from './sql.ts';

/** A migration-aware factory that also owns the connections it opened. */
export interface OwnedAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Direct SQL over the same connections, for the read side's hot paths (see sql.ts). */
  sqlRunner(onQuery?: StatementObserver): SqlRunner;
  close(): Promise<void>;
  /** Connections of the pool in use and idle, and queries waiting for one (PostgreSQL; PGlite has no pool). */
  poolUsage?(): { inUse: number; idle: number; waiting: number };
}

/**
 * A PostgreSQL error (from pg or PGlite) as the driver-adapter error Prisma's engines
 * understand; anything else would reach the migration log only as "External error".
 */
function asDriverAdapterError(error: unknown): unknown {
  const e = error as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
    detail?: string;
    column?: string;
    hint?: string;
  };
  if (typeof e?.message !== 'string' || typeof e.code !== 'string') return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: e.code,
    severity: typeof e.severity === 'string' ? e.severity : 'ERROR',
    message: e.message,
    detail: e.detail,
    column: e.column,
    hint: e.hint,
  });
}

/** Runs a multi-statement script, reporting its error the way the engine expects. */
async function runScript(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw asDriverAdapterError(error);
  }
}

/**
 * Upstream bug 1: PrismaPGlite's `executeScript` does not await `exec`, so a failing
 * migration is recorded as applied and its error escapes as an unhandled rejection.
 * Upstream bug 2: its shadow database (`memory://shadow`) is never closed.
 */
class AwaitingPGliteAdapter implements SqlDriverAdapter {
  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly client: PGlite,
    private readonly closeOnDispose: boolean,
  ) {}
  get provider() {
    return this.inner.provider;
  }
  get adapterName() {
    return this.inner.adapterName;
  }
  queryRaw(query: Parameters<SqlDriverAdapter['queryRaw']>[0]) {
    return this.inner.queryRaw(query);
  }
  executeRaw(query: Parameters<SqlDriverAdapter['executeRaw']>[0]) {
    return this.inner.executeRaw(query);
  }
  startTransaction(isolationLevel?: Parameters<SqlDriverAdapter['startTransaction']>[0]) {
    return this.inner.startTransaction(isolationLevel);
  }
  getConnectionInfo() {
    return this.inner.getConnectionInfo!();
  }
  executeScript(script: string): Promise<void> {
    return runScript(() => this.client.exec(script));
  }
  async dispose(): Promise<void> {
    await this.inner.dispose();
    if (this.closeOnDispose && !this.client.closed) await this.client.close();
  }
}

export function pgliteAdapterFactory(client: PGlite): OwnedAdapterFactory {
  const inner = new PrismaPGlite(client);
  return {
    provider: 'postgres',
    adapterName: inner.adapterName,
    async connect() {
      return new AwaitingPGliteAdapter(await inner.connect(), client, false);
    },
    sqlRunner: (onQuery) => pgliteSqlRunner(client, onQuery),
    async connectToShadowDb() {
      const shadow = await PGlite.create();
      return new AwaitingPGliteAdapter(await new PrismaPGlite(shadow).connect(), shadow, true);
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

/**
 * Upstream bug 5: @prisma/adapter-pg cannot decode PostgreSQL's internal `"char"` type
 * (OID 18), which the schema engine's catalogue queries return, so `devDiagnostic`,
 * `createMigration` and `diff` fail on PostgreSQL. We present such columns as text.
 */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function withCharColumnsAsText(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<pg.QueryResult> }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  return pool;
}

/**
 * Upstream bug 6: @prisma/adapter-pg's `executeScript` splits the script on every ";",
 * so a semicolon inside a comment, a string or a function body breaks a migration
 * ("syntax error at or near ..."). PostgreSQL's simple query protocol runs a whole
 * multi-statement script in one call, which is what we send.
 */
function withWholeScripts<T extends SqlDriverAdapter>(adapter: T, pool: pg.Pool): T {
  adapter.executeScript = (script: string) => runScript(() => pool.query(script));
  return adapter;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function postgresAdapterFactory(url: string): OwnedAdapterFactory {
  // A server that does not answer fails a query after 5 s instead of hanging it.
  const pool = withCharColumnsAsText(new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 }));
  // The pool emits errors of idle clients (server restart); log instead of crashing.
  pool.on('error', (error) => console.error(`[db] idle PostgreSQL connection failed: ${error.message}`));
  const inner = new PrismaPg(pool);
  return {
    provider: 'postgres',
    adapterName: inner.adapterName,
    connect: async () => withWholeScripts(await inner.connect(), pool),
    sqlRunner: (onQuery) => postgresSqlRunner(pool, onQuery),
    poolUsage: () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    /**
     * Upstream bug 4: with a connection string the shadow pool connects to the main
     * database (connectionString overrides `database`): "relation already exists".
     * Upstream bug 3: it drops the shadow database before ending its pool ("is being
     * accessed by other users"). We build the shadow pool ourselves and end it first.
     */
    async connectToShadowDb() {
      const shadowName = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
      await pool.query(`CREATE DATABASE "${shadowName}"`);
      const shadowPool = withCharColumnsAsText(
        new pg.Pool({ connectionString: withDatabase(url, shadowName), max: 2 }),
      );
      const shadow = withWholeScripts(await new PrismaPg(shadowPool).connect(), shadowPool);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await shadowPool.end();
        await pool.query(`DROP DATABASE IF EXISTS "${shadowName}"`);
      };
      return shadow;
    },
    async close() {
      await pool.end();
    },
  };
}
