// The live feed with clients nobody here wrote, as docs/live-feed.md tells users to use
// them: graphql-sse in both of its modes, and the graphql-ws resume recipe run as written
// through a server restart with items published while the server was down.

import { readFileSync } from 'node:fs';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { type App, CSRF_HEADER, createApp } from '../../src/server/app.ts';
import { GRAPHQL_SSE_PATH } from '../../src/server/graphql-sse.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { endFeedAfter, runResumeRecipe, waitUntil } from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';

const docs = readFileSync(new URL('../../docs/live-feed.md', import.meta.url), 'utf8');
/** The resume recipe of docs/live-feed.md, exactly as users copy it. */
const RECIPE = /```js\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
const RECIPE_URL = 'ws://localhost:4000/graphql';

const FEED =
  'subscription Feed($category: String) { trendPublished(category: $category) { sequence article { title } } }';
const INGEST = 'mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { outcome } }';

function feedPage(n: number, category = 'Security'): string {
  return page(`${category}: Live client item ${n}`, `March ${n}, 2021 10:00`, ['Minsk met Warsaw.']);
}

describe('the resume recipe of docs/live-feed.md', () => {
  it('is there, uses graphql-ws and keeps the last cursor in the variables it resends', () => {
    expect(RECIPE).toContain(`from 'graphql-ws'`);
    expect(RECIPE).toContain(RECIPE_URL);
    expect(RECIPE).toMatch(/variables\.after = data\.trendPublished\.cursor/);
  });
});

for (const target of await testTargets()) {
  describe(`real feed clients on ${target}`, () => {
    let db: TestDatabase;
    let app: App;
    let port: number;
    let token: string;
    const disposers: (() => unknown)[] = [];

    const ingestThroughMutation = async (text: string, sourceName: string) => {
      const response = await fetch(`http://localhost:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: INGEST, variables: { input: { text, sourceName } } }),
      });
      const result = (await response.json()) as { errors?: unknown };
      expect(result.errors).toBeUndefined();
    };
    const subscribers = (count: number) =>
      waitUntil(() => app.hub.subscriberCount === count, 10_000, `${count} subscribers`);
    /** Ends this test's feed once its hub has handed out every item published so far; see endFeedAfter. */
    const endFeed = async () => {
      const latest = (await db.prisma.trendEvent.aggregate({ _max: { sequence: true } }))._max.sequence ?? 0;
      await endFeedAfter(latest, [app.hub], []);
    };

    beforeAll(async () => {
      db = await createTestDatabase(target);
      token = await createToken(db.prisma, 'live-clients');
    });
    /** Each test's own server over the suite's database: a test may end its feed, or restart it. */
    beforeEach(async () => {
      app = createApp({ prisma: db.prisma });
      port = await app.start(0);
    });
    afterEach(async () => {
      await Promise.all(disposers.splice(0).map((dispose) => dispose()));
      await app?.stop();
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it('serves graphql-sse in distinct-connections mode at /graphql and /graphql/stream', async () => {
      const titles: Record<string, string[]> = { '/graphql': [], [GRAPHQL_SSE_PATH]: [] };
      let completed = 0;
      for (const path of Object.keys(titles)) {
        const client = createSseClient({ url: `http://localhost:${port}${path}`, retryAttempts: 0 });
        disposers.push(() => client.dispose());
        client.subscribe(
          { query: FEED },
          {
            next: (result) =>
              titles[path]!.push(
                (result.data as { trendPublished: { article: { title: string } } }).trendPublished.article.title,
              ),
            error: (error) => titles[path]!.push(`error: ${String(error)}`),
            complete: () => completed++,
          },
        );
      }
      await subscribers(2);
      await ingestThroughMutation(feedPage(1), 'distinct.txt');
      await endFeed();
      await waitUntil(() => completed === 2, 10_000, 'both streams to end');
      expect(titles).toEqual({ '/graphql': ['Live client item 1'], [GRAPHQL_SSE_PATH]: ['Live client item 1'] });
    });

    it('serves graphql-sse in single-connection mode at /graphql/stream: two subscriptions and a query on one stream', async () => {
      const client = createSseClient({
        url: `http://localhost:${port}${GRAPHQL_SSE_PATH}`,
        singleConnection: true,
        retryAttempts: 0,
      });
      disposers.push(() => client.dispose());
      const received: string[] = [];
      const failures: unknown[] = [];
      let completed = 0;
      // A subscription to a category the archive does not know is refused: make it known.
      await ingestThroughMutation(feedPage(20, 'Economy'), 'single-economy-first.txt');
      for (const category of ['security', 'economy']) {
        client.subscribe(
          { query: FEED, variables: { category } },
          {
            next: (result) => received.push(`${category}: ${JSON.stringify(result.data)}`),
            error: (error) => failures.push(error),
            complete: () => completed++,
          },
        );
      }
      await subscribers(2);
      await ingestThroughMutation(feedPage(2, 'Economy'), 'single-economy.txt');
      await ingestThroughMutation(feedPage(3, 'Security'), 'single-security.txt');
      await endFeed();
      await waitUntil(() => completed === 2 || failures.length > 0, 10_000, 'both subscriptions to end');
      expect(failures).toEqual([]);
      expect(received.sort()).toEqual([
        expect.stringMatching(/^economy: .*Live client item 2/),
        expect.stringMatching(/^security: .*Live client item 3/),
      ]);
      const query = client.iterate({ query: '{ categories { slug } }' });
      const { value } = await query.next();
      expect(value?.data).toMatchObject({ categories: expect.arrayContaining([{ slug: 'economy' }]) });
      await query.return?.();
    });

    it('tells a single-connection client pointed at /graphql where that mode lives', async () => {
      const reservation = await fetch(`http://localhost:${port}/graphql`, { method: 'PUT' });
      expect(reservation.status).toBe(405);
      const body = (await reservation.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toContain(`single-connection mode is served at ${GRAPHQL_SSE_PATH}`);

      const client = createSseClient({
        url: `http://localhost:${port}/graphql`,
        singleConnection: true,
        retryAttempts: 0,
      });
      disposers.push(() => client.dispose());
      const failure = await new Promise<unknown>((resolve) =>
        client.subscribe({ query: FEED }, { next: () => {}, error: resolve, complete: () => resolve(null) }),
      );
      expect(String((failure as { response?: Response }).response?.status ?? failure)).toMatch(/405/);
    });

    it('asks /graphql/stream, like /graphql, for the CSRF header on requests a browser sends without asking', async () => {
      const url = `http://localhost:${port}${GRAPHQL_SSE_PATH}?query=${encodeURIComponent('{ categories { slug } }')}`;
      expect((await fetch(url, { headers: { accept: 'text/event-stream' } })).status).toBe(403);
      const allowed = await fetch(url, { headers: { accept: 'text/event-stream', [CSRF_HEADER]: '1' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/event: next\ndata: \{"data":\{"categories"/);
    });

    it('resumes through a server restart with the recipe, every item exactly once', async () => {
      const recipe = runResumeRecipe(RECIPE, `ws://localhost:${port}/graphql`);
      disposers.push(recipe.dispose);
      await subscribers(1);
      await ingestThroughMutation(feedPage(11), 'restart-11.txt');
      await waitUntil(() => recipe.printed.length === 1, 10_000, 'the first item');

      await app.stop(); // closes the WebSocket with 1001; the client starts reconnecting
      // Published while no server runs: only the database knows.
      for (const n of [12, 13]) await ingestDocument(db.prisma, feedPage(n), `restart-${n}.txt`);
      app = createApp({ prisma: db.prisma });
      port = await app.start(port);
      // The client resubscribes with the last cursor: the two are replayed from the database.
      await waitUntil(() => recipe.printed.length === 3, 30_000, 'the items published during the restart');
      await subscribers(1);
      await ingestThroughMutation(feedPage(14), 'restart-14.txt');
      await endFeed();
      await waitUntil(() => recipe.printed.includes('the feed ended'), 10_000, 'the feed to end');
      expect(recipe.printed).toEqual([...[11, 12, 13, 14].map((n) => `Live client item ${n}`), 'the feed ended']);
      expect(recipe.failures).toEqual([]);
    }, 60_000);
  });
}
