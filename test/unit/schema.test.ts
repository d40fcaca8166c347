// The public surface: the schema built in code keeps every name of the contract, and
// the committed schema/schema.graphql (printed by `npm run codegen`) matches the code.

import { readFile } from 'node:fs/promises';
import { buildSchema, findBreakingChanges, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
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

  it('gives every connection with a totalCount a described totalCountIsExact: Boolean!', () => {
    const counted = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getFields().totalCount !== undefined,
    );
    const fields = counted.map((type) => {
      const field = isObjectType(type) ? type.getFields().totalCountIsExact : undefined;
      return { type: type.name, isExact: String(field?.type), described: (field?.description?.length ?? 0) > 40 };
    });
    expect(fields.length).toBeGreaterThanOrEqual(7);
    expect(fields).toEqual(fields.map(({ type }) => ({ type, isExact: 'Boolean!', described: true })));
  });
});
