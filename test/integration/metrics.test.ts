// GET /metrics: the Prometheus text format, parsed as Prometheus would, after traffic of
// every kind (queries answered and cached, errors, WebSocket and SSE subscriptions, an
// ingest that publishes a trend item), and refused without METRICS_TOKEN when one is set.

import { print } from 'graphql';
import parsePrometheusTextFormat, { type MetricFamily, type Sample } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';
import { type Subscription, subscribeOverSse, subscribeOverWebSocket, waitUntil } from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';

const MetricsCategories = graphql(`
  query MetricsCategories {
    categories { slug }
  }
`);
const MetricsIngest = graphql(`
  mutation MetricsIngest($input: IngestDocumentInput!) {
    ingestDocument(input: $input) { outcome }
  }
`);
const FEED = 'subscription MetricsFeed { trendPublished { sequence } }';
const SCRAPE_TOKEN = 'scrape-secret-for-tests';

for (const target of await testTargets()) {
  describe(`GET /metrics on ${target}`, () => {
    let api: TestApi;
    let app: App;
    let base: string;
    const subscriptions: Subscription<unknown>[] = [];

    const graphqlPost = async (body: object, headers: Record<string, string> = {}) =>
      (
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
      ).json();
    const scrape = async (authorization?: string) =>
      fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
    /**
     * The scrape, parsed. The parser folds a histogram's series into one sample (a port of
     * prom2json), losing their labels; parsed a second time without the histograms' TYPE
     * lines, their `_bucket`, `_sum` and `_count` series come out as families of their own.
     */
    const families = async () => {
      const response = await scrape(`Bearer ${SCRAPE_TOKEN}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      return [
        ...parsePrometheusTextFormat(text),
        ...parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram\n/gm, '')).filter((series) =>
          /_(bucket|sum|count)$/.test(series.name),
        ),
      ];
    };
    const family = (all: MetricFamily[], name: string) => {
      const found = all.find((candidate) => candidate.name === name);
      if (!found) throw new Error(`no metric ${name} in ${all.map((f) => f.name).join(', ')}`);
      return found;
    };
    /** A series of `name` with `labels` (a histogram's series may come in several runs of the same name). */
    const sample = (all: MetricFamily[], name: string, labels: Record<string, string> = {}): Sample | undefined =>
      all
        .filter((candidate) => candidate.name === family(all, name).name)
        .flatMap((candidate) => candidate.metrics)
        .find((candidate) => Object.entries(labels).every(([key, value]) => candidate.labels?.[key] === value));
    const seriesValue = (all: MetricFamily[], name: string, labels: Record<string, string> = {}) =>
      Number(sample(all, name, labels)?.value ?? Number.NaN);

    beforeAll(async () => {
      api = await createTestApi(target);
      app = createApp({
        prisma: api.db.prisma,
        operations: {
          metricsToken: SCRAPE_TOKEN,
          responseCache: { ttlMs: 60_000 },
          databasePool: api.db.adapterFactory.poolUsage,
        },
      });
      base = `http://localhost:${await app.start(0)}`;

      await graphqlPost({ query: print(MetricsCategories) });
      await graphqlPost({ query: print(MetricsCategories) }); // from the cache
      await graphqlPost({ query: '{ articles(first: 1000) { totalCount } }' }); // BAD_USER_INPUT
      const ws = subscribeOverWebSocket(`${base.replace('http', 'ws')}/graphql`, FEED);
      const sse = subscribeOverSse(`${base}/graphql`, FEED);
      subscriptions.push(ws, sse);
      await waitUntil(() => app.hub.subscriberCount === 2, 10_000, 'two subscribers');
      const token = await createToken(api.db.prisma, 'metrics-editor');
      const ingested = await graphqlPost(
        {
          query: print(MetricsIngest),
          variables: {
            input: { text: page('Security: Metrics day', 'July 1, 2021 10:00', ['Minsk.']), sourceName: 'm.txt' },
          },
        },
        { authorization: `Bearer ${token}` },
      );
      expect(ingested).toEqual({ data: { ingestDocument: { outcome: 'CREATED' } } });
      await ws.waitFor(1);
      await sse.waitFor(1);
    });
    afterAll(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await app?.stop();
      await api?.close();
    });

    it('requires the bearer token when METRICS_TOKEN is set', async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${SCRAPE_TOKEN}`]) {
        const response = await scrape(authorization);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('reports operation durations by name and type, and errors by code', async () => {
      const all = await families();
      expect(family(all, 'graphql_envelop_request_duration').type).toBe('HISTOGRAM');
      const executed = { operationName: 'MetricsCategories', operationType: 'query' };
      // The second was answered from the cache.
      expect(seriesValue(all, 'graphql_envelop_request_duration_count', executed)).toBe(1);
      expect(seriesValue(all, 'graphql_envelop_request_duration_sum', executed)).toBeGreaterThan(0);
      expect(
        seriesValue(all, 'graphql_yoga_http_duration_count', {
          operationName: 'MetricsIngest',
          operationType: 'mutation',
        }),
      ).toBe(1);
      expect(seriesValue(all, 'archive_graphql_errors_total', { code: 'BAD_USER_INPUT', operationType: 'query' })).toBe(
        1,
      );
    });

    it('reports response cache hits and misses', async () => {
      const all = await families();
      expect(seriesValue(all, 'archive_response_cache_requests_total', { result: 'hit' })).toBe(1);
      expect(seriesValue(all, 'archive_response_cache_requests_total', { result: 'miss' })).toBeGreaterThanOrEqual(2);
    });

    it('reports open WebSocket connections and subscriptions by transport', async () => {
      const all = await families();
      expect(seriesValue(all, 'archive_websocket_connections_open')).toBe(1);
      expect(seriesValue(all, 'archive_subscriptions_open', { transport: 'websocket' })).toBe(1);
      expect(seriesValue(all, 'archive_subscriptions_open', { transport: 'sse' })).toBe(1);
    });

    it('reports trend items published and delivered, with the publish → delivery lag', async () => {
      const all = await families();
      expect(seriesValue(all, 'archive_trend_items_published_total')).toBe(1);
      expect(seriesValue(all, 'archive_trend_items_delivered_total')).toBe(2);
      const lag = sample(all, 'archive_trend_delivery_lag_seconds');
      expect(Number(lag?.count)).toBe(2);
      expect(Number(lag?.sum)).toBeGreaterThanOrEqual(0);
      expect(Number(lag?.sum)).toBeLessThan(10);
    });

    it('reports ingest outcomes and durations', async () => {
      const all = await families();
      expect(seriesValue(all, 'archive_ingests_total', { outcome: 'CREATED' })).toBe(1);
      expect(seriesValue(all, 'archive_ingest_duration_seconds_count', { outcome: 'CREATED' })).toBe(1);
    });

    it(`reports ${target === 'postgres' ? "the database pool's connections" : 'no database pool (PGlite has none)'}`, async () => {
      const all = await families();
      if (target === 'postgres') {
        expect(seriesValue(all, 'archive_database_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);
        expect(seriesValue(all, 'archive_database_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
        expect(seriesValue(all, 'archive_database_pool_waiting')).toBe(0);
      } else {
        expect(all.some((candidate) => candidate.name.startsWith('archive_database_pool'))).toBe(false);
      }
    });

    it("reports Node's process metrics", async () => {
      const all = await families();
      expect(seriesValue(all, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(seriesValue(all, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(family(all, 'nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
    });
  });
}
