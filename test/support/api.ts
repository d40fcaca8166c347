// The API testkit: an app on a fresh database (optionally with the bundled corpus),
// typed operations through `yoga.fetch`, and the SQL statements each request ran.

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { syntheticPage } from '../../src/bench/synthetic-corpus.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { CORPUS_FILES, corpusPage } from './corpus.ts';
import { createTestDatabase, type TestDatabase, type TestTarget } from './databases.ts';

export interface TestApi {
  app: App;
  db: TestDatabase;
  /** SQL statements run since the last `execute` began (or `clearStatements`). */
  statements: string[];
  /** The parameters of each of `statements`, as JSON text. */
  statementParams: string[];
  clearStatements(): void;
  execute<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    options?: { token?: string },
  ): Promise<ExecutionResult<Result>>;
  /** Like execute, but fails with the full errors when any are returned. */
  data<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    options?: { token?: string },
  ): Promise<Result>;
  editorToken(): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  corpus?: boolean;
  /** Ingests a synthetic corpus of this many pages (src/bench/synthetic-corpus.ts) after the bundled one. */
  syntheticPages?: number;
  production?: boolean;
  /** Runs on the migrated, empty database, before the corpus is ingested and the app built. */
  prepareDatabase?: (db: TestDatabase) => Promise<void>;
}

const jsonOfBigInt = (_key: string, value: unknown) => (typeof value === 'bigint' ? String(value) : value);

export async function createTestApi(target: TestTarget, options: TestApiOptions = {}): Promise<TestApi> {
  const statements: string[] = [];
  const statementParams: string[] = [];
  const db = await createTestDatabase(target, {
    onQuery: (sql, params) => {
      statements.push(sql);
      statementParams.push(JSON.stringify(params, jsonOfBigInt));
    },
  });
  const clearStatements = () => {
    statements.length = 0;
    statementParams.length = 0;
  };
  await options.prepareDatabase?.(db);
  if (options.corpus ?? true) {
    for (const file of CORPUS_FILES) await ingestDocument(db.prisma, corpusPage(file), file);
  }
  const syntheticPages = options.syntheticPages ?? 0;
  for (let n = 0; n < syntheticPages; n++) {
    await ingestDocument(db.prisma, syntheticPage(n, syntheticPages), `synthetic-${n}.txt`);
  }
  // Every request through `yoga.fetch` counts as one client ("unknown": there is no
  // socket), so suites that send hundreds get a budget to match; the rate-limit tests
  // build apps of their own.
  const app = createApp({
    prisma: db.prisma,
    sql: db.sql,
    production: options.production,
    limits: { rateLimitPoints: 1_000_000 },
  });

  async function execute<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    { token }: { token?: string } = {},
  ): Promise<ExecutionResult<Result>> {
    clearStatements();
    const response = await app.yoga.fetch('http://archive.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as ExecutionResult<Result>;
  }

  return {
    app,
    db,
    statements,
    statementParams,
    clearStatements,
    execute,
    async data(document, variables, requestOptions) {
      const result = await execute(document, variables, requestOptions);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data!;
    },
    editorToken: () => createToken(db.prisma, `editor-${Math.random().toString(36).slice(2)}`),
    async close() {
      await app.stop();
      await db.dispose();
    },
  };
}
