// A response cache that is never stale: @graphql-yoga/plugin-response-cache keeps query
// results in this instance's memory, keyed by document, operation name and variables,
// and tagged with the entities they show (Article, Actor, Category, RelatedLink,
// TrendItem, by global id). Only queries over HTTP without an Authorization header are
// cached; mutations, subscriptions, WebSocket operations and requests with a token never.
//
// Forgetting. Every write reports what it changed (src/archive/write/archive-change.ts): the
// entities it touched, computed links included. The instance that ingests forgets them
// at once; every other instance hears of it through the change signals (Redis with
// REDIS_URL). A result is also tagged "membership" when it holds a list or a count over
// the archive (articles, search, trends, categories, actors, an actor by alias) or a
// lookup that found nothing: any write can change those, so every write forgets them.
//
// Never stale, even when a signal is late or lost (Redis away, `npm run ingest` without
// Redis): every write raises the archive's revision in the database, in its transaction
// (the archive_revision migration), and says which revision it was. Before serving a
// cached answer the cache reads the revision (one small query, shared by the requests
// that arrive while it runs); if some revision has not been heard of, nothing is served
// from the cache until its signal arrives, or, after SIGNAL_GRACE_MS, the whole cache is
// dropped. An execution during which the cache forgot something is not stored: it may
// have read the data from before that write.

import type { CacheEntityRecord } from '@envelop/response-cache';
import { defaultBuildResponseCacheKey } from '@envelop/response-cache';
import { type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type DocumentNode, type ExecutionResult, getOperationAST, Kind, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ArchiveChange } from '../archive/write/archive-change.ts';
import type { ArchiveChangeSignals } from '../feed/archive-changes.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { entityTagsOf } from './conditional-get.ts';

export interface ResponseCacheOptions {
  /** How long a result may be kept, ms (a bound on memory, not on staleness). */
  ttlMs: number;
  /** Results kept at most (least recently used dropped first). */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 1_000;
/** How long a revision may go unheard of before the whole cache is dropped. */
const SIGNAL_GRACE_MS = 500;

/** Root fields answered by looking one thing up; anything else is a list or a count. */
const LOOKUP_FIELDS = new Set(['article', 'category', 'node', 'nodes']);
// `actor` is not a lookup: a slug it answers through an alias may later name a new actor.

/** The tag of results any write may change (see the file comment). */
const MEMBERSHIP: CacheEntityRecord = { typename: 'Query', id: 'membership' };

/** The entities a change touched, as the plugin tags them: typename and global id. */
function entitiesOf(change: ArchiveChange): CacheEntityRecord[] {
  const tag = (typename: string, ids: number[]) => ids.map((id) => ({ typename, id: encodeGlobalID(typename, id) }));
  return [
    MEMBERSHIP,
    ...tag('Article', change.articleIds),
    ...tag('Actor', change.actorIds),
    ...tag('Category', change.categoryIds),
    ...tag('RelatedLink', change.linkIds),
  ];
}

const documentsByText = new Map<string, DocumentNode | null>();
const DOCUMENTS_REMEMBERED = 1_000;

function documentOf(text: string): DocumentNode | null {
  if (!documentsByText.has(text)) {
    let document: DocumentNode | null = null;
    try {
      document = parse(text, { noLocation: true });
    } catch {}
    if (documentsByText.size >= DOCUMENTS_REMEMBERED) documentsByText.delete(documentsByText.keys().next().value!);
    documentsByText.set(text, document);
  }
  return documentsByText.get(text)!;
}

/** Whether a result depends on which entities exist, not only on the entities it shows. */
function dependsOnMembership(text: string, operationName: string | null, result: ExecutionResult): boolean {
  const document = documentOf(text);
  const operation = document && getOperationAST(document, operationName);
  if (!operation) return true;
  return operation.selectionSet.selections.some((selection) => {
    if (selection.kind !== Kind.FIELD) return true; // fragments at the root: judge them as lists
    if (selection.name.value === '__typename') return false;
    if (!LOOKUP_FIELDS.has(selection.name.value)) return true;
    const answer = result.data?.[selection.alias?.value ?? selection.name.value];
    return answer == null || (Array.isArray(answer) && answer.some((item) => item == null));
  });
}

/** Calls `read` so that every caller gets a read that began after its call; callers meanwhile share one. */
function readStartedAfterCall<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = () => {
    const current = read().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

/** Which archive revisions this instance has heard of (see the file comment). */
class RevisionGate {
  /** Every revision up to this one has been heard of; null until the first read. */
  private heardUpTo: number | null = null;
  private readonly heardAbove = new Set<number>();
  private giveUp: NodeJS.Timeout | null = null;
  private readonly readRevision: () => Promise<number>;

  constructor(
    readRevision: () => Promise<number>,
    private readonly dropEverything: () => void,
    private readonly graceMs: number,
  ) {
    this.readRevision = readStartedAfterCall(readRevision);
  }

  /** Whether answers cached here may be served to a request that arrived before this call. */
  async servable(): Promise<boolean> {
    let current: number;
    try {
      current = await this.readRevision();
    } catch {
      return false; // database away: nothing can be vouched for
    }
    if (this.heardUpTo === null) {
      // The cache is empty until its first read: what came before concerns nothing in it.
      this.heardUpTo = current;
      this.advance();
    }
    if (current <= this.heardUpTo) return true;
    this.waitForSignals(current);
    return false;
  }

  heardOf(revisions: readonly number[]): void {
    for (const revision of revisions)
      if (this.heardUpTo === null || revision > this.heardUpTo) this.heardAbove.add(revision);
    this.advance();
  }

  private advance(): void {
    if (this.heardUpTo === null) return;
    for (const revision of this.heardAbove) if (revision <= this.heardUpTo) this.heardAbove.delete(revision);
    while (this.heardAbove.delete(this.heardUpTo + 1)) this.heardUpTo++;
  }

  private waitForSignals(upTo: number): void {
    if (this.giveUp) return;
    this.giveUp = setTimeout(() => {
      this.giveUp = null;
      if (this.heardUpTo! >= upTo) return;
      this.dropEverything();
      this.heardUpTo = upTo;
      this.advance();
    }, this.graceMs);
    this.giveUp.unref();
  }

  close(): void {
    if (this.giveUp) clearTimeout(this.giveUp);
  }
}

/**
 * The cache store the plugin uses, guarded as the file comment says: `readRevision`
 * reads the archive's revision, `forget` applies a change (this instance's or a signal's),
 * `describe` tells which document a key was built from.
 */
export function createFreshCache(options: {
  readRevision: () => Promise<number>;
  maxEntries?: number;
  graceMs?: number;
}) {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let entries = createInMemoryCache({ max: maxEntries });
  /** Raised whenever the cache forgets something. */
  let generation = 0;
  const forgetAll = () => {
    entries = createInMemoryCache({ max: maxEntries });
    generation++;
  };
  const gate = new RevisionGate(options.readRevision, forgetAll, options.graceMs ?? SIGNAL_GRACE_MS);
  /** Per cache key: the generation when an execution for it began (the oldest, if several). */
  const executionsSince = new Map<string, number>();
  /** Per cache key: its document text and operation name, to judge the result's membership tag. */
  const operationsByKey = new Map<string, { text: string; operationName: string | null }>();

  const cache: Cache = {
    async get(key) {
      if (!(await gate.servable())) return null;
      const found = await entries.get(key);
      if (!found && !executionsSince.has(key)) {
        if (executionsSince.size >= maxEntries * 10) executionsSince.clear(); // failed executions never store
        executionsSince.set(key, generation);
      }
      return found;
    },
    set(key, result, entities, ttl) {
      const since = executionsSince.get(key);
      executionsSince.delete(key);
      if (since !== generation) return;
      const operation = operationsByKey.get(key);
      const membership = !operation || dependsOnMembership(operation.text, operation.operationName, result);
      return entries.set(key, result, membership ? [...entities, MEMBERSHIP] : entities, ttl);
    },
    invalidate: (entities) => entries.invalidate(entities),
  };
  return {
    cache,
    forget(change: ArchiveChange) {
      entries.invalidate(entitiesOf(change));
      generation++;
      gate.heardOf(change.revisions);
    },
    describe(key: string, text: string, operationName: string | null) {
      if (operationsByKey.size >= maxEntries * 10) operationsByKey.clear();
      operationsByKey.set(key, { text, operationName });
    },
    close: () => gate.close(),
  };
}

/** The first entity tag of an If-None-Match list, without quotes or weakness (the cache key). */
function bareETag(candidates: string): string {
  return entityTagsOf(candidates)[0]!.replace(/^"(.*)"$/, '$1');
}

export function createResponseCache(
  prisma: PrismaClient,
  changes: ArchiveChangeSignals,
  options: ResponseCacheOptions,
  observe: { lookedUp(result: 'hit' | 'miss'): void } = { lookedUp: () => {} },
) {
  const { cache, forget, describe, close } = createFreshCache({
    maxEntries: options.maxEntries,
    readRevision: async () => {
      const [row] = await prisma.$queryRaw<{ revision: number }[]>`SELECT revision FROM "ArchiveRevision" WHERE id = 1`;
      return row?.revision ?? 0;
    },
  });

  const cacheable = (request: Request | undefined) => !!request && !request.headers.has('authorization');

  const plugin = useResponseCache({
    cache,
    ttl: options.ttlMs,
    session: () => null,
    enabled: (request) => cacheable(request),
    // Writes are forgotten through `forget`, with everything they touched; a mutation's
    // own result names too little.
    invalidateViaMutation: false,
    includeExtensionMetadata: false,
    buildResponseCacheKey: async (params) => {
      const key = await defaultBuildResponseCacheKey(params);
      describe(key, params.documentString, params.operationName ?? null);
      return key;
    },
  });

  /**
   * The validators as HTTP has them (RFC 9110 §8.8.3, §13.1.2): the plugin uses its bare
   * cache key as the ETag and compares If-None-Match with it verbatim. A CDN or browser
   * sends back the quoted, possibly weak, form an ETag must have; so the ETag goes out
   * quoted and comes back bare. A GET answer says `no-cache`: any cache may keep it but
   * must revalidate it, and a revalidation answers 304 only while it is still fresh.
   */
  const httpValidators: Plugin = {
    onRequest({ request }) {
      const candidates = request.headers.get('if-none-match');
      if (candidates) request.headers.set('if-none-match', bareETag(candidates));
    },
    onResponse({ request, response }) {
      // The plugin writes "ETag", which the fetch ponyfill's Headers then finds by no
      // name (its lookups are lowercase): read it from the entries, write it lowercase.
      const [name, etag] = [...response.headers.entries()].find(([key]) => key.toLowerCase() === 'etag') ?? [];
      if (!name || !etag) return;
      if (!etag.startsWith('"')) {
        response.headers.delete(name);
        response.headers.set('etag', `"${etag}"`);
      }
      if ((request.method === 'GET' || request.method === 'HEAD') && !response.headers.has('cache-control')) {
        response.headers.set('cache-control', 'no-cache');
      }
    },
  };

  /** Counts, per cacheable query over HTTP, whether the cache answered it. */
  const countLookups: Plugin = {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (cacheable(request) && getOperationAST(args.document, args.operationName)?.operation === 'query') {
        observe.lookedUp('miss');
      }
    },
    onExecutionResult({ result }) {
      if (result && Symbol.for('servedFromResponseCache') in result) observe.lookedUp('hit');
    },
  };

  const signals = changes.subscribe()[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const signal = await signals.next();
      if (signal.done) return;
      forget(signal.value);
    }
  })();

  return {
    plugins: [httpValidators, plugin, countLookups],
    /** This instance's own write: forget it here at once (other instances hear of it by signal). */
    forget,
    async close() {
      close();
      await signals.return?.();
    },
  };
}
