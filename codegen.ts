// GraphQL Code Generator: prints the schema built in code to schema/schema.graphql
// (committed, and checked for drift by a test) and types the operations the tests use.
// Run with `npm run codegen`.

import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './src/schema/index.ts';

const config: CodegenConfig = {
  schema: printSchema(schema),
  documents: ['test/**/*.ts', '!test/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: false, commentDescriptions: false, sort: false },
    },
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // The project imports TypeScript files by their .ts names (see tsconfig).
        importExtension: '.ts',
        useTypeImports: true,
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
