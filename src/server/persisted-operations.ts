// Persisted operations (trusted documents). GraphQL Code Generator's client preset writes
// a manifest of a client's operations, `persisted-documents.json`: each document's
// sha256 hash and its text (`npm run codegen` writes the project's own, for the
// operations in test/, to test/generated/). A client may then send the hash instead of
// the document, over POST, GET (so a CDN can cache reads) and WebSocket, in either shape:
//
//   { "documentId": "<sha256>" }                                             (client preset)
//   { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "<sha256>" } } }  (Apollo APQ)
//
// PERSISTED_OPERATIONS=allow (the default) runs hashes and documents alike;
// =only runs nothing but the manifest's documents, by hash or as their exact text.
// @graphql-yoga/plugin-persisted-operations does the HTTP side; graphql-ws does not pass
// through yoga's params hooks, so the WebSocket endpoint asks `documentForWebSocket`.

import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ConfigError } from '../config.ts';

export type PersistedOperationsMode = 'allow' | 'only';

export interface PersistedOperationsOptions {
  mode: PersistedOperationsMode;
  /** Document text by the hex of its sha256 hash (readManifest reads a client preset manifest). */
  manifest: ReadonlyMap<string, string>;
}

/**
 * A hash as the client preset writes it ("sha256:<hex>") or as Apollo clients send it
 * ("<hex>"): the hex alone.
 */
function hexOf(hash: string): string {
  return hash.startsWith('sha256:') ? hash.slice('sha256:'.length) : hash;
}

/** Reads a client preset manifest ({ "sha256:<hex>": "<document>", … }), refusing anything else. */
export function readManifest(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`PERSISTED_OPERATIONS_MANIFEST: cannot read ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`PERSISTED_OPERATIONS_MANIFEST: ${path} is not a JSON object of hashes to documents`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (!/^[0-9a-f]{64}$/.test(hexOf(hash)) || typeof document !== 'string') {
      throw new ConfigError(
        `PERSISTED_OPERATIONS_MANIFEST: ${path} has an entry that is not "sha256:<hex>": "<document>" (${hash.slice(0, 80)})`,
      );
    }
    manifest.set(hexOf(hash), document);
  }
  return manifest;
}

function persistedError(code: string, message: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

const notFound = (hash: string, mode: PersistedOperationsMode) =>
  persistedError(
    'PERSISTED_QUERY_NOT_FOUND',
    `No persisted operation has the hash "${hash.slice(0, 100)}"; ${
      mode === 'allow' ? 'send the document itself.' : 'this server runs only the operations of its manifest.'
    }`,
    404,
  );
const onlyPersisted = () =>
  persistedError(
    'PERSISTED_QUERY_ONLY',
    'This server runs only its persisted operations (PERSISTED_OPERATIONS=only): send the sha256 hash of a document of its manifest as "documentId" or as extensions.persistedQuery.sha256Hash.',
    400,
  );
const noOperation = () =>
  persistedError(
    'BAD_REQUEST',
    'Send a GraphQL document as "query", or the sha256 hash of a persisted one as "documentId" or extensions.persistedQuery.sha256Hash.',
    400,
  );

interface OperationParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/** The persisted operation a request names by hash, in either shape; null when it names none. */
function persistedIdOf(params: OperationParams, request?: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  // yoga keeps only query, variables, operationName and extensions of a GET's parameters.
  if (request?.method === 'GET') {
    const fromUrl = new URL(request.url).searchParams.get('documentId');
    if (fromUrl) return fromUrl;
  }
  const persistedQuery = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } })
    ?.persistedQuery;
  if (persistedQuery?.version === 1 && typeof persistedQuery.sha256Hash === 'string') return persistedQuery.sha256Hash;
  return null;
}

export function createPersistedOperations({ mode, manifest }: PersistedOperationsOptions) {
  const documents = new Set(manifest.values());
  /** Requests whose text is one of the manifest's documents (allowed in `only` mode). */
  const trusted = new WeakSet<Request>();
  const markTrusted: Plugin = {
    onParams({ params, request }) {
      if (typeof params.query === 'string' && documents.has(params.query)) trusted.add(request);
    },
  };
  const plugin = usePersistedOperations({
    getPersistedOperation: (hash) => manifest.get(hexOf(hash)) ?? null,
    allowArbitraryOperations: mode === 'allow' ? true : (request) => trusted.has(request),
    extractPersistedOperationId: (params, request) => persistedIdOf(params as OperationParams, request),
    customErrors: {
      notFound: ({ params, request }) => notFound(persistedIdOf(params as OperationParams, request) ?? '', mode),
      persistedQueryOnly: onlyPersisted,
      keyNotFound: noOperation,
    },
  });
  return {
    plugins: [markTrusted, plugin],
    /** Lets yoga accept `documentId` beside query, variables, operationName and extensions in a POST body. */
    extraParamNames: ['documentId'],
    /**
     * What a graphql-ws subscribe message runs: the document it sent, or the one its hash
     * names (graphql-ws requires a `query` string, so a hash comes with an empty one).
     */
    documentForWebSocket(payload: OperationParams): string | GraphQLError {
      const hash = persistedIdOf(payload);
      if (typeof payload.query === 'string' && payload.query !== '') {
        return mode === 'allow' || documents.has(payload.query) ? payload.query : onlyPersisted();
      }
      if (hash === null) return noOperation();
      return manifest.get(hexOf(hash)) ?? notFound(hash, mode);
    },
  };
}
