// Prometheus metrics at GET /metrics (text format), one registry per app: operation
// durations from @graphql-yoga/plugin-prometheus, and the archive's own figures (errors
// by code, response cache, open connections and subscriptions, the trend feed, ingests,
// the database pool) beside Node's process metrics from prom-client.
//
// With METRICS_TOKEN set, a scrape must send "Authorization: Bearer <token>".

import { timingSafeEqual } from 'node:crypto';
import { createHistogram, type FillLabelsFnParams, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const METRICS_PATH = '/metrics';

/**
 * Distinct operation names kept as label values; later names are counted as "other". A
 * client may name its operations anything, and every name would be a new time series.
 */
const OPERATION_NAMES_KEPT = 200;

export interface DatabasePoolUsage {
  inUse: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  /** Bearer token a scrape must present; null: open. */
  token: string | null;
  /** The connection pool's usage, when the database has a pool (PostgreSQL). */
  databasePool?: () => DatabasePoolUsage;
}

export type IngestMetricOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED' | 'FAILED';
type SubscriptionTransport = 'websocket' | 'sse';

/** A bearer token compared in constant time. */
function presents(request: Request, token: string): boolean {
  const sent = Buffer.from(request.headers.get('authorization') ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

export function createMetrics(options: MetricsOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const operationNames = new Set<string>();
  const operationNameLabel = (name: string | null | undefined): string => {
    if (!name) return 'Anonymous'; // as @envelop/prometheus names them
    if (operationNames.has(name)) return name;
    if (operationNames.size >= OPERATION_NAMES_KEPT) return 'other';
    operationNames.add(name);
    return name;
  };
  const operationLabels = (params: FillLabelsFnParams) => ({
    operationName: operationNameLabel(params.operationName),
    operationType: params.operationType ?? 'unknown',
  });

  const errors = new Counter({
    name: 'archive_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code (refusals before execution included).',
    labelNames: ['code', 'operationType'] as const,
    registers,
  });
  const cacheRequests = new Counter({
    name: 'archive_response_cache_requests_total',
    help: 'Cacheable queries over HTTP: answered from the response cache (hit) or executed (miss).',
    labelNames: ['result'] as const,
    registers,
  });
  const subscriptions = new Gauge({
    name: 'archive_subscriptions_open',
    help: 'Open subscriptions, by transport (each SSE subscription is one open HTTP stream).',
    labelNames: ['transport'] as const,
    registers,
  });
  let webSocketConnections: () => number = () => 0;
  new Gauge({
    name: 'archive_websocket_connections_open',
    help: 'Open WebSocket connections.',
    registers,
    collect() {
      this.set(webSocketConnections());
    },
  });
  const trendPublished = new Counter({
    name: 'archive_trend_items_published_total',
    help: 'Trend items this instance has taken from the feed to route to its subscribers (each item once).',
    registers,
  });
  const trendDelivered = new Counter({
    name: 'archive_trend_items_delivered_total',
    help: 'Trend items handed to subscribers (one per subscriber; replays included).',
    registers,
  });
  const trendLag = new Histogram({
    name: 'archive_trend_delivery_lag_seconds',
    help: 'From the commit of a trend item (its publishedAt) to its hand-over to a live subscriber.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const ingests = new Counter({
    name: 'archive_ingests_total',
    help: 'Pages sent to the ingestDocument mutation, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const ingestDuration = new Histogram({
    name: 'archive_ingest_duration_seconds',
    help: 'Time to ingest a page through the ingestDocument mutation (parse, resolve actors, write, computed links).',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const { databasePool } = options;
  if (databasePool) {
    new Gauge({
      name: 'archive_database_pool_connections',
      help: 'Database connections of the pool, by state (in_use, idle).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const usage = databasePool();
        this.set({ state: 'in_use' }, usage.inUse);
        this.set({ state: 'idle' }, usage.idle);
      },
    });
    new Gauge({
      name: 'archive_database_pool_waiting',
      help: 'Queries waiting for a free database connection.',
      registers,
      collect() {
        this.set(databasePool().waiting);
      },
    });
  }

  /** Refuses a scrape without the token (401), before the Prometheus plugin answers it. */
  const requireToken: Plugin = {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== METRICS_PATH || !options.token || presents(request, options.token)) return;
      endResponse(
        new fetchAPI.Response('A valid metrics token is required: send "Authorization: Bearer <METRICS_TOKEN>".\n', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' },
        }),
      );
    },
  };

  /** Counts open subscriptions by transport while their streams are open. */
  const countSubscriptions: Plugin = {
    onSubscribe({ args }) {
      const transport: SubscriptionTransport = (args.contextValue as { request?: Request }).request
        ? 'sse'
        : 'websocket';
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          subscriptions.inc({ transport });
          let open = true;
          const closed = () => {
            if (open) subscriptions.dec({ transport });
            open = false;
          };
          return { onEnd: closed };
        },
      };
    },
  };

  const prometheus = usePrometheus({
    registry,
    endpoint: METRICS_PATH,
    metrics: {
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Time to execute a GraphQL operation (the execute or subscribe phase), by operation name and type.',
          labelNames: ['operationName', 'operationType'] as const,
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time to answer an executed GraphQL operation over HTTP, by operation name and type, method and status.',
          labelNames: ['operationName', 'operationType', 'method', 'statusCode'] as const,
        },
        fillLabelsFn: (params, context: { request: Request; response: Response }) => ({
          ...operationLabels(params),
          method: context.request.method,
          statusCode: context.response.status,
        }),
      }),
      // Errors are counted by code in archive_graphql_errors_total, refusals before
      // execution included; the rest would repeat the figures above with unbounded labels.
      graphql_envelop_error_result: false,
      graphql_envelop_request: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
    },
  });

  return {
    registry,
    plugins: [requireToken, prometheus, countSubscriptions],
    /** Where the open WebSocket connections are counted (known once the endpoint is attached). */
    countWebSocketConnectionsWith(count: () => number) {
      webSocketConnections = count;
    },
    operationAnswered(operationType: string | null, errorCodes: readonly string[]) {
      for (const code of errorCodes) errors.inc({ code, operationType: operationType ?? 'unknown' });
    },
    cacheRequest(result: 'hit' | 'miss') {
      cacheRequests.inc({ result });
    },
    trendItemsPublished(count: number) {
      trendPublished.inc(count);
    },
    trendItemDelivered(publishedAt: Date | null) {
      trendDelivered.inc();
      if (publishedAt) trendLag.observe(Math.max(0, (Date.now() - publishedAt.getTime()) / 1000));
    },
    ingestObserved(outcome: IngestMetricOutcome, seconds: number) {
      ingests.inc({ outcome });
      ingestDuration.observe({ outcome }, seconds);
    },
  };
}
