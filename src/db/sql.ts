// Direct SQL for the read side's hot paths, beside the Prisma client: one statement, its
// rows as plain objects, no ORM pipeline in between. On a PostgreSQL server each distinct
// statement is prepared once per connection (a named statement), so the server plans it
// once; PGlite runs in this process and has nothing to gain from that.
//
// Measured on the reference query (docs/performance.md): Prisma's client cost about a
// third of the server's CPU per request, and parsing and planning its unnamed statements
// again on every request most of PostgreSQL's.

import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** Told of each statement before it runs, with its parameters (tests read them; see OpenDatabaseOptions.onQuery). */
export type StatementObserver = (text: string, values: readonly unknown[]) => void;

export interface SqlRunner {
  /** Runs one statement with `$1…` parameters; every parameter is cast in the SQL text. */
  query<Row>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/** Named statements handed out per process; beyond it statements run unnamed (unbounded shapes of queries must not grow every connection's cache forever). */
const MAX_PREPARED_STATEMENTS = 2_000;

function statementNamer(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED_STATEMENTS) {
      name = `archive_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
}

export function postgresSqlRunner(pool: pg.Pool, onQuery?: StatementObserver): SqlRunner {
  const nameOf = statementNamer();
  return {
    async query<Row>(text: string, values: readonly unknown[]) {
      onQuery?.(text, values);
      const result = await pool.query<Row & pg.QueryResultRow>({ name: nameOf(text), text, values: [...values] });
      return result.rows;
    },
  };
}

export function pgliteSqlRunner(client: PGlite, onQuery?: StatementObserver): SqlRunner {
  return {
    async query<Row>(text: string, values: readonly unknown[]) {
      onQuery?.(text, values);
      return (await client.query<Row>(text, [...values])).rows;
    },
  };
}

/**
 * The same through a Prisma client, for callers that hold only the client (some tests):
 * statements go through Prisma's raw query path, unprepared.
 */
export function prismaSqlRunner(prisma: {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
}): SqlRunner {
  return {
    query: <Row>(text: string, values: readonly unknown[]) => prisma.$queryRawUnsafe<Row[]>(text, ...values),
  };
}
