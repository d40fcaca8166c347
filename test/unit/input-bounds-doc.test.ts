// docs/api-arguments.md lists every argument's bound as the schema declares it
// (src/schema/input-bounds.ts), so the document cannot drift from what the server keeps.

import { readFile } from 'node:fs/promises';
import {
  type GraphQLArgument,
  type GraphQLInputField,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { boundOf, describeBound } from '../../src/schema/input-bounds.ts';

function row(coordinate: string, element: GraphQLArgument | GraphQLInputField): string | null {
  const bound = boundOf(element);
  if (bound) return `| \`${coordinate}\` | ${describeBound(bound)} |`;
  if (getNamedType(element.type).name === 'DateTime')
    return `| \`${coordinate}\` | An ISO-8601 date, or date-time with its zone. |`;
  return null;
}

function boundRows(): string[] {
  const rows: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        const coordinate = `${type.name}.${field.name}(${arg.name}:)`;
        const input = getNullableType(arg.type);
        if (isInputObjectType(input)) {
          for (const inputField of Object.values(input.getFields())) {
            const line = row(`${coordinate}.${inputField.name}`, inputField);
            if (line) rows.push(line);
          }
        } else {
          const line = row(coordinate, arg);
          if (line) rows.push(line);
        }
      }
    }
  }
  return rows;
}

describe('docs/api-arguments.md', () => {
  it('lists the bound of every argument exactly as the schema enforces it', async () => {
    const doc = await readFile(new URL('../../docs/api-arguments.md', import.meta.url), 'utf8');
    const table = /<!-- bounds:start -->\n([\s\S]*?)\n<!-- bounds:end -->/.exec(doc)?.[1];
    // Cells compared trimmed: a formatter may pad the table's columns.
    const cells = (line: string) => line.split('|').map((cell) => cell.trim());
    expect(table?.split('\n').slice(2).map(cells)).toEqual(boundRows().map(cells));
  });
});
