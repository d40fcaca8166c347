// The schema documents itself: graphql-schema-linter, with its default rules, finds
// nothing to report in the printed schema (every type, field, argument and enum value
// has a capitalised description; Relay connection conventions hold).

import { createRequire } from 'node:module';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

interface LintError {
  ruleName: string;
  message: string;
}

interface Linter {
  Configuration: new (schema: { definition: string }, options: object) => { getRules(): unknown[] };
  validateSchemaDefinition(schema: { definition: string }, rules: unknown[], configuration: unknown): LintError[];
}

// A CommonJS package without types; its documented entry points.
const require = createRequire(import.meta.url);
const { Configuration } = require('graphql-schema-linter/lib/configuration.js') as Pick<Linter, 'Configuration'>;
const { validateSchemaDefinition } = require('graphql-schema-linter/lib/validator.js') as Pick<
  Linter,
  'validateSchemaDefinition'
>;

describe('the printed schema', () => {
  it('passes graphql-schema-linter with its default rules (no missing description)', () => {
    const printed = { definition: printSchema(schema) };
    const configuration = new Configuration(printed, {});
    const errors = validateSchemaDefinition(printed, configuration.getRules(), configuration);
    expect(errors.map((error) => `${error.ruleName}: ${error.message}`)).toEqual([]);
  });
});
