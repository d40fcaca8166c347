// Prisma writes an `in` filter as `column IN ($1, $2, …)`, one bind parameter per element
// (prisma/orm#23849, open): the statement's text grows with the list, every length is a
// statement of its own to parse and plan, and a long enough list exceeds PostgreSQL's
// 65,535 parameters. Between Prisma and the driver, each such list becomes one array
// parameter, `column = ANY($1)` (`NOT IN` becomes `<> ALL`): the same rows, one text for
// every length. Both driver adapters bind a JavaScript array to an array parameter.

import type { ArgType, SqlQuery, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';
import type { StatementObserver } from './sql.ts';

/** `[NOT] IN ($a, $b, …)`: a list of bare parameters only (never a subquery, a cast or a tuple). */
const PARAMETER_LIST = /(\bNOT\s+)?\bIN\s*\(\s*(\$\d+(?:\s*,\s*\$\d+)*)\s*\)/gi;
const PARAMETER = /\$(\d+)/g;

function numbersIn(list: string): number[] {
  return [...list.matchAll(PARAMETER)].map((match) => Number(match[1]));
}

/** Whether the parameters can travel as one array: each a scalar of one type, used only here. */
function foldable(numbers: number[], query: SqlQuery, uses: Map<number, number>): boolean {
  const first = query.argTypes[numbers[0]! - 1];
  return (
    first !== undefined &&
    numbers.every((n) => {
      const type = query.argTypes[n - 1];
      return (
        uses.get(n) === 1 &&
        type?.arity === 'scalar' &&
        type.scalarType === first.scalarType &&
        type.dbType === first.dbType &&
        query.args[n - 1] !== null
      );
    })
  );
}

/** The query with each list of two or more parameters as one array parameter; the query itself when it has none. */
export function withListsAsArrays(query: SqlQuery): SqlQuery {
  if (!/\bIN\s*\(\s*\$/i.test(query.sql)) return query;
  const uses = new Map<number, number>();
  for (const n of numbersIn(query.sql)) uses.set(n, (uses.get(n) ?? 0) + 1);
  // Old parameter number -> the list it now belongs to (by its first number).
  const listOf = new Map<number, number[]>();
  for (const match of query.sql.matchAll(PARAMETER_LIST)) {
    const numbers = numbersIn(match[2]!);
    if (numbers.length > 1 && foldable(numbers, query, uses)) for (const n of numbers) listOf.set(n, numbers);
  }
  if (listOf.size === 0) return query;

  const args: unknown[] = [];
  const argTypes: ArgType[] = [];
  const renumbered = new Map<number, number>();
  for (let n = 1; n <= query.args.length; n++) {
    const list = listOf.get(n);
    if (list && list[0] !== n) continue; // folded into the array of its list's first parameter
    renumbered.set(n, args.length + 1);
    if (list) {
      args.push(list.map((member) => query.args[member - 1]));
      argTypes.push({ ...query.argTypes[n - 1]!, arity: 'list' });
    } else {
      args.push(query.args[n - 1]);
      argTypes.push(query.argTypes[n - 1]!);
    }
  }
  const sql = query.sql
    .replace(PARAMETER_LIST, (whole, not: string | undefined, list: string) => {
      const numbers = numbersIn(list);
      if (!listOf.has(numbers[0]!)) return whole;
      return `${not ? '<> ALL' : '= ANY'}($${numbers[0]})`;
    })
    .replace(PARAMETER, (_whole, n: string) => `$${renumbered.get(Number(n)) ?? n}`);
  return { sql, args, argTypes };
}

/**
 * Sends the queries of a driver adapter (or of a transaction it started) with lists as
 * arrays, each reported to `onQuery` as the database receives it.
 */
export function sendingListsAsArrays<T extends SqlQueryable & { startTransaction?: unknown }>(
  queryable: T,
  onQuery?: StatementObserver,
): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  const sent = (query: SqlQuery) => {
    const rewritten = withListsAsArrays(query);
    onQuery?.(rewritten.sql, rewritten.args);
    return rewritten;
  };
  queryable.queryRaw = (query) => queryRaw(sent(query));
  queryable.executeRaw = (query) => executeRaw(sent(query));
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = (queryable.startTransaction as (...args: unknown[]) => Promise<Transaction>).bind(
      queryable,
    );
    (queryable as { startTransaction: unknown }).startTransaction = async (...args: unknown[]) =>
      sendingListsAsArrays(await startTransaction(...args), onQuery);
  }
  return queryable;
}
