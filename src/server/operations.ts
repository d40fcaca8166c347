// What an operator runs the API with, assembled for app.ts: persisted operations, the
// response cache and the signals that keep every instance's cache from going stale,
// metrics at /metrics, and the JSON log with one line per operation. See
// docs/operations.md.

import type { Plugin } from 'graphql-yoga';
import { type ArchiveChangeSignals, createLocalArchiveChangeSignals } from '../feed/archive-changes.ts';
import type { TrendHubOptions } from '../feed/trend-hub.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { IngestHooks } from '../schema/context.ts';
import { createLogger, type Logger, useOperationLog } from './logging.ts';
import { createMetrics, type DatabasePoolUsage } from './metrics.ts';
import { createPersistedOperations, type PersistedOperationsOptions } from './persisted-operations.ts';
import { createResponseCache, type ResponseCacheOptions } from './response-cache.ts';

export interface OperationsOptions {
  /** The JSON log; by default warnings and errors only, on stdout. */
  logger?: Logger;
  /** Hashes clients may send instead of documents; none by default (documents only). */
  persistedOperations?: PersistedOperationsOptions;
  /** Off unless given. */
  responseCache?: ResponseCacheOptions;
  /** Where committed writes are announced to every instance; in-process unless given (e.g. Redis). */
  archiveChanges?: ArchiveChangeSignals;
  /** Bearer token GET /metrics requires; open when unset. */
  metricsToken?: string | null;
  /** The database pool's usage, for metrics (PostgreSQL). */
  databasePool?: () => DatabasePoolUsage;
}

export function createOperations(prisma: PrismaClient, options: OperationsOptions) {
  const logger = options.logger ?? createLogger('warn');
  const changes = options.archiveChanges ?? createLocalArchiveChangeSignals();
  const metrics = createMetrics({ token: options.metricsToken ?? null, databasePool: options.databasePool });
  const persisted = createPersistedOperations(options.persistedOperations ?? { mode: 'allow', manifest: new Map() });
  const cache = options.responseCache
    ? createResponseCache(prisma, changes, options.responseCache, {
        lookedUp: (result) => metrics.cacheRequest(result),
      })
    : null;

  const ingestHooks: IngestHooks = {
    async changed(change) {
      cache?.forget(change);
      // Other instances need not be waited for: until they hear of this change, their
      // caches see an unheard-of revision and serve nothing (response-cache.ts).
      changes
        .publish(change)
        .catch((error: Error) => logger.warn({ err: error.message }, 'announcing a change failed'));
    },
    observed: (outcome, seconds) => metrics.ingestObserved(outcome, seconds),
  };
  const trendObserver: TrendHubOptions['observe'] = {
    routed: (count) => metrics.trendItemsPublished(count),
    delivered: (publishedAt) => metrics.trendItemDelivered(publishedAt),
  };

  // Order matters: metrics answer /metrics before anything else; persisted operations
  // resolve a hash into its document before the log and the cache read the document.
  const plugins: Plugin[] = [
    ...metrics.plugins,
    ...persisted.plugins,
    useOperationLog(logger, (line) => metrics.operationAnswered(line.operationType, line.errorCodes)) as Plugin,
    ...(cache?.plugins ?? []),
  ];

  return {
    logger,
    plugins,
    extraParamNames: persisted.extraParamNames,
    documentForWebSocket: persisted.documentForWebSocket,
    ingestHooks,
    trendObserver,
    countWebSocketConnectionsWith: metrics.countWebSocketConnectionsWith,
    async close() {
      await cache?.close();
      await changes.close();
    },
  };
}
