// The per-request context: the database, the caller (resolved lazily, so only requests
// that need it pay the lookup), batched loaders and the trend feed.

import type { ArchiveChange } from '../archive/write/archive-change.ts';
import type { ArchiveWriter } from '../archive/write/writer.ts';
import { type Viewer, viewerForAuthorization } from '../auth/tokens.ts';
import type { SqlRunner } from '../db/sql.ts';
import type { TrendHub } from '../feed/trend-hub.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { type ArchiveLoaders, createLoaders } from './loaders.ts';

/** What the server does around an ingest: response caches forget, metrics count. */
export interface IngestHooks {
  /** The ingest's transaction committed: every instance's response cache forgets what it changed. Awaited before the mutation answers. */
  changed(change: ArchiveChange): Promise<void>;
  /** Every ingest attempt, with its outcome and how long it took. */
  observed(outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED' | 'FAILED', seconds: number): void;
}

export interface Context {
  prisma: PrismaClient;
  /** Direct SQL for the read side's hot paths (the article reader). */
  sql: SqlRunner;
  viewer: () => Promise<Viewer | null>;
  /** The viewer if `viewer()` has been awaited already, else null. */
  resolvedViewer: () => Viewer | null;
  loaders: ArchiveLoaders;
  /** Stores ingested pages and announces what each commit changed (src/archive/write/). */
  archiveWriter: ArchiveWriter;
  /** This instance's fan-out to subscribers. */
  trendHub: TrendHub;
  /** The most an operation may cost (see schema/builder.ts and server/limits.ts). */
  maxCost: number;
  /** Identifies the operation in the server log and in masked errors. */
  requestId: string;
  ingestHooks: IngestHooks;
  /** Whether webhooks may target private addresses and plain http (WEBHOOK_ALLOW_PRIVATE=1). */
  webhookPolicy: { allowPrivate: boolean };
  /** Epoch ms by which a query or mutation must finish (set by the execution timeout); writes after it are cancelled. */
  deadline?: number;
}

export interface ContextOptions {
  prisma: PrismaClient;
  sql: SqlRunner;
  archiveWriter: ArchiveWriter;
  trendHub: TrendHub;
  authorization: string | null;
  maxCost: number;
  requestId: string;
  ingestHooks: IngestHooks;
  webhookPolicy?: Context['webhookPolicy'];
}

export function createContext({
  prisma,
  sql,
  archiveWriter,
  trendHub,
  authorization,
  maxCost,
  requestId,
  ingestHooks,
  webhookPolicy = { allowPrivate: false },
}: ContextOptions): Context {
  let viewer: Promise<Viewer | null> | undefined;
  let resolved: Viewer | null = null;
  return {
    prisma,
    sql,
    viewer: () =>
      (viewer ??= viewerForAuthorization(prisma, authorization).then((found) => {
        resolved = found;
        return found;
      })),
    resolvedViewer: () => resolved,
    loaders: createLoaders(prisma, sql),
    archiveWriter,
    trendHub,
    maxCost,
    requestId,
    ingestHooks,
    webhookPolicy,
  };
}
