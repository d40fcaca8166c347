// The public surface: the schema built in code keeps every name of the contract, and
// the committed schema/schema.graphql (printed by `npm run codegen`) matches the code.

import { readFile } from 'node:fs/promises';
import { buildSchema, findBreakingChanges, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

const projectRoot = new URL('../..', import.meta.url);
const readSchemaFile = async (path: string) => buildSchema(await readFile(new URL(path, projectRoot), 'utf8'));
/** Printed after sorting, so the comparison ignores definition order only. */
const canonical = (built: ReturnType<typeof buildSchema>) => printSchema(lexicographicSortSchema(built));

describe('the GraphQL schema', () => {
  it('has no breaking change against schema/contract.graphql', async () => {
    const contract = await readSchemaFile('schema/contract.graphql');
    expect(findBreakingChanges(contract, schema)).toEqual([]);
  });

  it('matches the committed schema/schema.graphql (run `npm run codegen` after changing the schema)', async () => {
    const committed = await readSchemaFile('schema/schema.graphql');
    expect(canonical(committed)).toBe(canonical(schema));
  });
});
