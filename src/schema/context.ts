// The per-request context: the database, the caller (resolved lazily, so only requests
// that need it pay the lookup), batched loaders and the trend feed.

import { type Viewer, viewerForAuthorization } from '../auth/tokens.ts';
import type { TrendPubSub } from '../feed/trend-feed.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { type ArchiveLoaders, createLoaders } from './loaders.ts';

export interface Context {
  prisma: PrismaClient;
  viewer: () => Promise<Viewer | null>;
  /** The viewer if `viewer()` has been awaited already, else null. */
  resolvedViewer: () => Viewer | null;
  loaders: ArchiveLoaders;
  trends: TrendPubSub;
}

export function createContext(prisma: PrismaClient, trends: TrendPubSub, authorization: string | null): Context {
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
    trends,
  };
}
