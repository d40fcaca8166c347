// The per-request context: the database, the caller (resolved lazily, so only requests
// that need it pay the lookup), batched loaders and the trend feed.

import { type Viewer, viewerForAuthorization } from '../auth/tokens.ts';
import type { TrendSignals } from '../feed/trend-feed.ts';
import type { TrendHub } from '../feed/trend-hub.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { type ArchiveLoaders, createLoaders } from './loaders.ts';

export interface Context {
  prisma: PrismaClient;
  viewer: () => Promise<Viewer | null>;
  /** The viewer if `viewer()` has been awaited already, else null. */
  resolvedViewer: () => Viewer | null;
  loaders: ArchiveLoaders;
  /** Where the ingest mutation announces committed trend events. */
  trendSignals: TrendSignals;
  /** This instance's fan-out to subscribers. */
  trendHub: TrendHub;
  /** The most an operation may cost (see schema/builder.ts and server/limits.ts). */
  maxCost: number;
  /** Identifies the operation in the server log and in masked errors. */
  requestId: string;
  /** Epoch ms by which a query or mutation must finish (set by the execution timeout); writes after it are cancelled. */
  deadline?: number;
}

interface TrendFeed {
  signals: TrendSignals;
  hub: TrendHub;
}

export interface ContextOptions {
  prisma: PrismaClient;
  feed: TrendFeed;
  authorization: string | null;
  maxCost: number;
  requestId: string;
}

export function createContext({ prisma, feed, authorization, maxCost, requestId }: ContextOptions): Context {
  let viewer: Promise<Viewer | null> | undefined;
  let resolved: Viewer | null = null;
  return {
    prisma,
    viewer: () =>
      (viewer ??= viewerForAuthorization(prisma, authorization).then((found) => {
        resolved = found;
        return found;
      })),
    resolvedViewer: () => resolved,
    loaders: createLoaders(prisma),
    trendSignals: feed.signals,
    trendHub: feed.hub,
    maxCost,
    requestId,
  };
}
