// The live trend feed with real clients over real sockets: graphql-ws over WebSocket and
// GraphQL over SSE, filters, resuming from a cursor, several instances through Redis,
// the cost of one event with many subscribers, and a graceful SIGTERM.

import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createRedisTrendSignals } from '../../src/feed/trend-feed.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import {
  endFeedAfter,
  executeOverWebSocket,
  type Subscription,
  subscribeOverSse,
  subscribeOverWebSocket,
  waitUntil,
  within,
} from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';
import { redisForTests, TEST_REDIS_URL } from '../support/redis.ts';
import { startServer } from '../support/server-process.ts';

const FEED = `
  subscription Feed($category: String, $actor: String, $after: String) {
    trendPublished(category: $category, actor: $actor, after: $after) {
      sequence cursor article { title category { slug } }
    }
  }
`;
const INGEST = `
  mutation Ingest($input: IngestDocumentInput!) {
    ingestDocument(input: $input) { outcome article { title } }
  }
`;

interface FeedItem {
  sequence: number;
  cursor: string;
  article: { title: string; category: { slug: string } | null };
}

/** Page n of the feed tests: its own minute of 2020, a category and who it names. */
function newsPage(n: number, category: string, text: string): string {
  const minute = String(n % 60).padStart(2, '0');
  const hour = String(Math.floor(n / 60) % 24).padStart(2, '0');
  return page(`${category}: Feed item ${n}`, `January ${Math.floor(n / 1440) + 1}, 2020 ${hour}:${minute}`, [text]);
}

const sequencesOf = (subscription: Subscription<FeedItem>) => subscription.items.map((item) => item.sequence);

interface Instance {
  app: App;
  httpUrl: string;
  wsUrl: string;
}

async function startInstance(app: App): Promise<Instance> {
  const port = await app.start(0);
  return { app, httpUrl: `http://localhost:${port}/graphql`, wsUrl: `ws://localhost:${port}/graphql` };
}

async function ingestThroughMutation(instance: Instance, token: string, text: string, sourceName: string) {
  const response = await fetch(instance.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: INGEST, variables: { input: { text, sourceName } } }),
  });
  const result = (await response.json()) as { data?: { ingestDocument: { outcome: string } }; errors?: unknown };
  if (result.errors) throw new Error(`ingest failed: ${JSON.stringify(result.errors)}`);
  return result.data!.ingestDocument;
}

for (const target of await testTargets()) {
  describe(`the trend feed on ${target}`, () => {
    const statements: string[] = [];
    let db: TestDatabase;
    /** Each test's own server over the suite's database: a test may end its feed. */
    let instance: Instance;
    let token: string;
    let pageNumber = 0;
    const subscriptions: Subscription<FeedItem>[] = [];

    const ingest = () =>
      ingestThroughMutation(
        instance,
        token,
        newsPage(++pageNumber, 'Security', 'Minsk met Moscow.'),
        `p${pageNumber}.txt`,
      );
    const ws = (variables: Record<string, unknown> = {}) =>
      track(subscribeOverWebSocket<FeedItem>(instance.wsUrl, FEED, variables));
    const sse = (variables: Record<string, unknown> = {}) =>
      track(subscribeOverSse<FeedItem>(instance.httpUrl, FEED, variables));
    function track<S extends Subscription<FeedItem>>(subscription: S): S {
      subscriptions.push(subscription);
      return subscription;
    }
    const subscribers = (count: number, timeoutMs = 10_000) =>
      waitUntil(() => instance.app.hub.subscriberCount === count, timeoutMs, `${count} subscribers`);
    /** Ends this test's feed once its hub has handed out everything through `sequence`; see endFeedAfter. */
    const endFeedThrough = (sequence: number, ending: Subscription<FeedItem>[]) =>
      endFeedAfter(sequence, [instance.app.hub], ending);

    beforeAll(async () => {
      db = await createTestDatabase(target, { onQuery: (sql) => statements.push(sql) });
      token = await createToken(db.prisma, 'feed-editor');
    });
    beforeEach(async () => {
      instance = await startInstance(createApp({ prisma: db.prisma }));
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
      await instance?.app.stop();
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it('delivers an item ingested through the mutation once to a WebSocket and once to an SSE subscriber', async () => {
      const overWebSocket = ws();
      const overSse = sse();
      await subscribers(2);
      await ingest();
      await endFeedThrough(pageNumber, [overWebSocket, overSse]);
      const expected = {
        sequence: pageNumber,
        article: { title: `Feed item ${pageNumber}`, category: { slug: 'security' } },
      };
      expect(overWebSocket.items).toEqual([expect.objectContaining(expected)]);
      expect(overSse.items).toEqual([expect.objectContaining(expected)]);
      expect([...overWebSocket.errors, ...overSse.errors]).toEqual([]);
    });

    it('delivers only the items matching the category and actor filters (aliases accepted)', async () => {
      // A subscription refuses slugs that name nothing yet: the archive learns them first.
      await ingestThroughMutation(
        instance,
        token,
        newsPage(++pageNumber, 'Economy', 'President Lukashenko and Foreign Minister Makei met.'),
        'filter-slugs.txt',
      );
      const security = ws({ category: 'security' });
      const makei = sse({ actor: 'makey' });
      const lukashenkaOnEconomy = ws({ actor: 'lukashenka', category: 'economy' });
      await subscribers(3);
      const base = pageNumber;
      const pages = [
        newsPage(++pageNumber, 'Security', 'Foreign Minister Makei spoke in Minsk.'),
        newsPage(++pageNumber, 'Economy', 'President Lukashenko opened a factory.'),
        newsPage(++pageNumber, 'Politics', 'Vladimir Makey met the press.'),
        newsPage(++pageNumber, 'Economy', 'Rain fell all week.'),
      ];
      for (const [n, text] of pages.entries()) await ingestThroughMutation(instance, token, text, `filter-${n}.txt`);
      await endFeedThrough(pageNumber, [security, makei, lukashenkaOnEconomy]);
      expect(sequencesOf(security)).toEqual([base + 1]);
      expect(sequencesOf(makei)).toEqual([base + 1, base + 3]);
      expect(sequencesOf(lukashenkaOnEconomy)).toEqual([base + 2]);
    });

    it('resumes from a cursor: exactly the 3 missed items, then live ones', async () => {
      const first = ws();
      await subscribers(1);
      await ingest();
      const [seen] = await first.waitFor(1);
      await first.close();
      await subscribers(0);
      for (let n = 0; n < 3; n++) await ingest();

      const resumed = ws({ after: seen!.cursor });
      await resumed.waitFor(3);
      expect(sequencesOf(resumed)).toEqual([seen!.sequence + 1, seen!.sequence + 2, seen!.sequence + 3]);
      await subscribers(1);
      await ingest();
      await endFeedThrough(pageNumber, [resumed]);
      expect(sequencesOf(resumed)).toEqual([1, 2, 3, 4].map((n) => seen!.sequence + n));
    });

    it('resumes with no gap and no duplicate while items are published during the replay', async () => {
      const cursorSubscription = ws();
      await subscribers(1);
      await ingest();
      const [seen] = await cursorSubscription.waitFor(1);
      await cursorSubscription.close();
      await subscribers(0);
      for (let n = 0; n < 10; n++) await ingest(); // the backlog to replay

      // Two resume as the publication starts, racing it; a third once four of the eight
      // new items are committed, registered before the other four are.
      const resumed = [ws({ after: seen!.cursor }), sse({ after: seen!.cursor })];
      for (let n = 0; n < 8; n++) {
        if (n === 4) {
          resumed.push(ws({ after: seen!.cursor }));
          await subscribers(3);
        }
        await ingest();
      }
      await endFeedThrough(pageNumber, resumed);
      const expected = Array.from({ length: 18 }, (_, n) => seen!.sequence + 1 + n);
      for (const subscription of resumed) expect(sequencesOf(subscription)).toEqual(expected);
    });

    it('applies the same auth and rules to operations over WebSocket as over HTTP', async () => {
      const input = { text: newsPage(++pageNumber, 'Security', 'Minsk met Moscow.'), sourceName: 'over-ws.txt' };
      const anonymous = await executeOverWebSocket(instance.wsUrl, INGEST, { input });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const editor = await executeOverWebSocket(
        instance.wsUrl,
        INGEST,
        { input },
        { authorization: `Bearer ${token}` },
      );
      expect(editor.errors).toBeUndefined();
      expect(editor.data).toEqual({
        ingestDocument: { outcome: 'CREATED', article: { title: `Feed item ${pageNumber}` } },
      });
      const tooLarge = await executeOverWebSocket(instance.wsUrl, '{ articles(first: 101) { totalCount } }');
      expect(tooLarge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('reads the feed once per ingest through the API, though its own signal comes back while reading', async () => {
      const subscription = ws();
      await subscribers(1);
      statements.length = 0;
      await ingest();
      await subscription.waitFor(1);
      // Until the signal has come back and whatever read it caused has ended.
      await within(instance.app.hub.settled(pageNumber, { signalHeard: true }), 20_000, 'the hub to settle');
      const routingReads = statements.filter((sql) =>
        /FROM "public"\."TrendEvent" AS "t0" .*WHERE "t0"\."sequence" > \$\d+\s+ORDER BY/s.test(sql),
      );
      expect(routingReads).toHaveLength(1);
    });

    it('runs the same SQL for one event with 300 subscribers as with 1, and delivers it once to each', async () => {
      /** Publishes one event as another process would (commit, then signal); its SQL until the hub has handed it out. */
      const fanOut = async () => {
        const text = newsPage(++pageNumber, 'Security', 'Minsk met Moscow.');
        const { trendSequence } = await ingestDocument(db.prisma, text, `fan-out-${pageNumber}.txt`);
        statements.length = 0;
        instance.app.signals.publish({ sequence: trendSequence! });
        await within(
          instance.app.hub.settled(trendSequence!, { signalHeard: true }),
          30_000,
          'the hub to hand the item out',
        );
        return { sequence: trendSequence!, statements: [...statements] };
      };

      const lonely = ws();
      await subscribers(1);
      const withOne = await fanOut();

      // More than one wake-up slice of the hub (250).
      const others = Array.from({ length: 299 }, () => ws());
      await subscribers(300, 30_000);
      const withThreeHundred = await fanOut();
      await endFeedThrough(withThreeHundred.sequence, [lonely, ...others]);

      expect(withOne.statements.length).toBeGreaterThan(0);
      expect(withThreeHundred.statements).toEqual(withOne.statements);
      // Exactly once each, though followers are woken a slice at a time.
      expect(sequencesOf(lonely)).toEqual([withOne.sequence, withThreeHundred.sequence]);
      expect(others.map(sequencesOf)).toEqual(others.map(() => [withThreeHundred.sequence]));
    });
  });
}

const redisAvailable = await redisForTests();
const postgresTargets = (await testTargets()).filter((target) => target === 'postgres');

for (const target of redisAvailable ? postgresTargets : []) {
  describe(`two instances sharing ${target} and Redis`, () => {
    let db: TestDatabase;
    let secondDatabase: Awaited<ReturnType<typeof openDatabase>>;
    let a: Instance;
    let b: Instance;
    beforeAll(async () => {
      db = await createTestDatabase(target);
      secondDatabase = await openDatabase(parseDatabaseUrl(db.url!));
      a = await startInstance(
        createApp({ prisma: db.prisma, signals: createRedisTrendSignals(TEST_REDIS_URL, 'archive:') }),
      );
      b = await startInstance(
        createApp({ prisma: secondDatabase.prisma, signals: createRedisTrendSignals(TEST_REDIS_URL, 'archive:') }),
      );
    });
    afterAll(async () => {
      await a?.app.stop();
      await b?.app.stop();
      await secondDatabase?.close();
      await db?.dispose();
    });

    it('delivers an item ingested through instance A to subscribers on instance B exactly once', async () => {
      const onB = subscribeOverWebSocket<FeedItem>(b.wsUrl, FEED);
      const onBOverSse = subscribeOverSse<FeedItem>(b.httpUrl, FEED);
      const onA = subscribeOverWebSocket<FeedItem>(a.wsUrl, FEED);
      await waitUntil(
        () => b.app.hub.subscriberCount === 2 && a.app.hub.subscriberCount === 1,
        10_000,
        'subscribers on both',
      );
      const token = await createToken(db.prisma, 'scale-out');
      await ingestThroughMutation(a, token, newsPage(1, 'Security', 'Minsk met Moscow.'), 'scale-1.txt');
      await ingestThroughMutation(a, token, newsPage(2, 'Security', 'Minsk met Warsaw.'), 'scale-2.txt');
      // Each instance hears both signals through Redis, its own included.
      await endFeedAfter(2, [a.app.hub, b.app.hub], [onB, onBOverSse, onA]);
      for (const subscription of [onB, onBOverSse, onA]) expect(sequencesOf(subscription)).toEqual([1, 2]);
    });
  });
}

describe('npm start and SIGTERM', () => {
  it('closes WebSockets with 1001, ends SSE streams, and exits 0 within 10 s', async () => {
    const server = await startServer('pglite:memory');
    try {
      const url = `${server.baseUrl}/graphql`;
      const overWebSocket = subscribeOverWebSocket<FeedItem>(url.replace('http', 'ws'), FEED);
      const overSse = subscribeOverSse<FeedItem>(url, FEED);
      // Both registered: a subscription counts in the metrics once the hub follows it for its client.
      await waitUntil(
        async () => {
          const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
          return ['websocket', 'sse'].every((transport) =>
            metrics.includes(`archive_subscriptions_open{transport="${transport}"} 1`),
          );
        },
        10_000,
        'both subscriptions to be open on the server',
      );
      const exited = once(server.child, 'exit');
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');
      const [code] = await exited;
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(code).toBe(0);
      await overWebSocket.ended;
      await overSse.ended;
      expect(overWebSocket.closeCode()).toBe(1001);
      expect(overSse.errors).toEqual([]);
      expect(server.output()).toContain('stopped');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });
});
