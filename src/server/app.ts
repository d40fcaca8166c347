// Builds the server: GraphQL at /graphql over HTTP (GraphiQL in a browser, subscriptions
// over SSE) and WebSocket (graphql-ws), /healthz and /readyz, and the trend feed.
// Tests use `yoga.fetch` without a port; main.ts calls `start` and, on SIGTERM, `stop`.

import { createServer, type Server } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import { ArchiveWriter } from '../archive/write/writer.ts';
import { pendingMigrationNames } from '../db/migrations.ts';
import { prismaSqlRunner, type SqlRunner } from '../db/sql.ts';
import { createLocalTrendSignals, type TrendSignals } from '../feed/trend-feed.ts';
import { TrendHub } from '../feed/trend-hub.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createContext } from '../schema/context.ts';
import { schema } from '../schema/index.ts';
import { useCompression } from './compression.ts';
import { requestIdOf, useRequestIdsAndMasking } from './errors.ts';
import { GRAPHIQL_DEFAULT_QUERY } from './graphiql.ts';
import { useGraphiQLPage } from './graphiql-page.ts';
import { useGraphQLSse } from './graphql-sse.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { operationLimitPlugins } from './operation-limits.ts';
import { createOperations, type OperationsOptions } from './operations.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { useRequestGuards } from './request-guards.ts';
import { useSharedSubscriptionResults } from './shared-subscription-results.ts';
import { createSubscriberChannels, type SubscriberOptions } from './subscribers.ts';
import { attachWebSocketEndpoint, type WebSocketEndpoint } from './websocket.ts';

const GRAPHQL_PATH = '/graphql';
/** How long `stop` lets in-flight HTTP requests finish before cutting them off. */
const DRAIN_TIMEOUT_MS = 5_000;

export interface AppOptions {
  prisma: PrismaClient;
  /** Direct SQL over the same database (Database.sql); through `prisma` when absent. */
  sql?: SqlRunner;
  /** Where committed trend events are announced; in-process unless given (e.g. Redis). */
  signals?: TrendSignals;
  /** How often the trend hub looks for events nobody signalled; 0 turns polling off. */
  trendPollIntervalMs?: number;
  /** Masks unexpected errors and hides field suggestions (NODE_ENV=production). */
  production?: boolean;
  /** Defaults: DEFAULT_LIMITS (see limits.ts and the README). */
  limits?: Partial<Limits>;
  /** Allowed CORS origins; none (same origin only) when empty. */
  corsOrigins?: string[];
  /** Proxies in front of the server whose X-Forwarded-For entries are trusted (see request-guards.ts); 0 unless given. */
  trustedProxyHops?: number;
  /** The rate limit's budgets; per process unless given (e.g. shared through Redis). Closed by `stop`. */
  rateLimiter?: RateLimiter;
  log?: (message: string) => void;
  /** Persisted operations, response cache, metrics and the operation log (see operations.ts). */
  operations?: OperationsOptions;
  /** Feeds, the live page and webhooks (docs/subscribing.md). */
  subscribers?: SubscriberOptions;
}

/** Clients must send this header (any value) with GET requests and simple POSTs. */
export const CSRF_HEADER = 'x-graphql-csrf';

/** Ready when the database answers and every committed migration has been applied. */
async function isReady(prisma: PrismaClient): Promise<boolean> {
  try {
    return (await pendingMigrationNames(prisma)).length === 0;
  } catch {
    return false;
  }
}

/** The bearer token of an HTTP request, or of a WebSocket's upgrade request or connection_init payload. */
function authorizationOf(initial: {
  request?: Request;
  req?: { headers: Record<string, string | string[] | undefined> };
  connectionParams?: Record<string, unknown>;
}): string | null {
  const fromParams = initial.connectionParams?.authorization ?? initial.connectionParams?.Authorization;
  if (typeof fromParams === 'string') return fromParams;
  const fromUpgrade = initial.req?.headers.authorization;
  if (typeof fromUpgrade === 'string') return fromUpgrade;
  return initial.request?.headers.get('authorization') ?? null;
}

export function createApp(options: AppOptions) {
  const { prisma } = options;
  const sql = options.sql ?? prismaSqlRunner(prisma);
  const operations = createOperations(prisma, options.operations ?? {});
  const log = options.log ?? ((message: string) => operations.logger.error(message));
  const signals = options.signals ?? createLocalTrendSignals();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const production = options.production ?? false;
  const rateLimiter = options.rateLimiter ?? createRateLimiter(limits);
  const hub = new TrendHub(prisma, signals, {
    pollIntervalMs: options.trendPollIntervalMs ?? 0,
    log,
    observe: operations.trendObserver,
  });
  const archiveWriter = new ArchiveWriter(
    { prisma, sql },
    {
      changed: operations.ingestHooks.changed,
      published(sequence) {
        signals.publish({ sequence });
        // This instance's subscribers need not wait for the signal's round trip (or for
        // Redis to come back, if it is away).
        void hub.catchUp(sequence);
      },
    },
  );
  const subscribers = createSubscriberChannels(prisma, signals, options.subscribers ?? {}, log);
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    batching: false,
    cors: options.corsOrigins?.length ? { origin: options.corsOrigins, credentials: false } : false,
    context: (initial) =>
      createContext({
        prisma,
        sql,
        archiveWriter,
        trendHub: hub,
        authorization: authorizationOf(initial),
        maxCost: limits.maxCost,
        requestId: requestIdOf(initial.request),
        ingestHooks: operations.ingestHooks,
        webhookPolicy: subscribers.webhookPolicy,
      }),
    extraParamNames: operations.extraParamNames,
    // Served by useGraphiQLPage instead, behind the request guards.
    graphiql: false,
    maxRequestBodySize: limits.maxBodyBytes,
    // Our plugin masks with request ids; yoga's masking stays as the net for errors
    // raised outside execution.
    maskedErrors: production ? true : { isDev: true },
    logging: operations.logger,
    plugins: [
      // Transport. The guards come first: whatever a later plugin answers is rate limited.
      useRequestGuards({ limits, rateLimiter, trustedProxyHops: options.trustedProxyHops ?? 0 }),
      useCompression(),
      useGraphiQLPage(GRAPHQL_PATH, {
        title: 'Belarus foreign-policy archive',
        defaultQuery: GRAPHIQL_DEFAULT_QUERY,
        // Subscriptions over graphql-ws: GraphiQL's SSE default sends a GET without the CSRF header.
        subscriptionsProtocol: 'WS',
      }),
      useGraphQLSse({ graphqlPath: GRAPHQL_PATH, csrfHeader: CSRF_HEADER }),
      // Queries and mutations run through graphql-jit: each document is compiled once, and
      // executes several times faster than graphql-js interprets it (docs/performance.md).
      // First of the execution plugins: the response cache and the execution timeout wrap it.
      useGraphQlJit(),
      ...operations.plugins,
      useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
      useRequestIdsAndMasking({ production, log }),
      ...operationLimitPlugins(limits, production),
      useSharedSubscriptionResults(),
      useReadinessCheck({ endpoint: '/readyz', check: () => isReady(prisma) }),
      subscribers.routes,
    ],
  });
  const server: Server = createServer(yoga);
  let webSockets: WebSocketEndpoint | null = null;

  return {
    yoga,
    server,
    limits,
    hub,
    signals,
    webhookDispatcher: subscribers.webhookDispatcher,
    start(port: number): Promise<number> {
      webSockets ??= attachWebSocketEndpoint(server, yoga, GRAPHQL_PATH, {
        limits,
        log,
        documentFor: operations.documentForWebSocket,
      });
      operations.countWebSocketConnectionsWith(webSockets.connectionCount);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const address = server.address();
          const listening = typeof address === 'object' && address ? address.port : port;
          subscribers.listening(listening);
          resolve(listening);
        });
      });
    },
    /**
     * Graceful stop: refuse new connections, close WebSockets with 1001, end the
     * subscription streams (SSE responses complete), let in-flight HTTP requests finish
     * (up to DRAIN_TIMEOUT_MS), then let go of the trend signals.
     */
    async stop(): Promise<void> {
      const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      server.closeIdleConnections();
      await webSockets?.close();
      await Promise.all([hub.close(), subscribers.stop()]);
      const drainLimit = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await closed;
      clearTimeout(drainLimit);
      await signals.close();
      await operations.close();
      await rateLimiter.close();
    },
  };
}

export type App = ReturnType<typeof createApp>;
