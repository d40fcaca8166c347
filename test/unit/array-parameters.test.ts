// Prisma's `in` lists reach the database as one array parameter (src/db/array-parameters.ts).

import type { ArgType, SqlQuery } from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import { withListsAsArrays } from '../../src/db/array-parameters.ts';

const int: ArgType = { scalarType: 'int', arity: 'scalar' };
const text: ArgType = { scalarType: 'string', arity: 'scalar' };

function query(sql: string, args: unknown[], argTypes: ArgType[] = args.map(() => int)): SqlQuery {
  return { sql, args, argTypes };
}

describe('withListsAsArrays', () => {
  it('sends a list of parameters as one array, renumbering the parameters after it', () => {
    const rewritten = withListsAsArrays(
      query(
        'SELECT "id" FROM "Actor" WHERE "id" IN ($1,$2,$3) AND "kind" = $4 LIMIT $5',
        [7, 8, 9, 'PERSON', 10],
        [int, int, int, text, int],
      ),
    );
    expect(rewritten).toEqual({
      sql: 'SELECT "id" FROM "Actor" WHERE "id" = ANY($1) AND "kind" = $2 LIMIT $3',
      args: [[7, 8, 9], 'PERSON', 10],
      argTypes: [{ ...int, arity: 'list' }, text, int],
    });
  });

  it('gives one statement text for every length of list', () => {
    const sqlFor = (length: number) => {
      const list = Array.from({ length }, (_, n) => `$${n + 2}`).join(',');
      return withListsAsArrays(query(`SELECT 1 WHERE $1 = 1 AND "id" IN (${list})`, [1, ...Array(length).fill(5)])).sql;
    };
    expect(sqlFor(2)).toBe('SELECT 1 WHERE $1 = 1 AND "id" = ANY($2)');
    expect(sqlFor(100)).toBe(sqlFor(2));
    expect(sqlFor(70_000)).toBe(sqlFor(2));
  });

  it('turns NOT IN into <> ALL, and folds several lists', () => {
    expect(withListsAsArrays(query('WHERE a NOT IN ($1, $2) OR b IN ($3,$4)', [1, 2, 3, 4]))).toMatchObject({
      sql: 'WHERE a <> ALL($1) OR b = ANY($2)',
      args: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('leaves alone what is not a plain list: one element, a subquery, mixed types, a null, a reused parameter', () => {
    for (const unchanged of [
      query('WHERE a IN ($1)', [1]),
      query('WHERE a IN (SELECT b FROM c WHERE d = $1)', [1]),
      query('WHERE a IN ($1,$2)', [1, 'x'], [int, text]),
      query('WHERE a IN ($1,$2)', [1, null]),
      query('WHERE a IN ($1,$2) AND b = $1', [1, 2]),
      query('WHERE (a, b) IN (($1,$2),($3,$4))', [1, 2, 3, 4]),
    ]) {
      expect(withListsAsArrays(unchanged)).toBe(unchanged);
    }
  });
});
