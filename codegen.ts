// GraphQL Code Generator: prints the schema built in code to schema/schema.graphql
// (committed, and checked for drift by a test), types the operations the tests use, and
// writes their manifest of persisted operations (test/generated/persisted-documents.json:
// sha256 hash → document; see docs/operations.md). Run with `npm run codegen`.

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
      presetConfig: {
        fragmentMasking: false,
        // The documents keep their text (tests send either) and carry their hash.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
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
