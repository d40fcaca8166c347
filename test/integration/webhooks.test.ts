// Signed webhooks against a local receiver: registration through GraphQL, delivery and the
// signature (checked with the `standardwebhooks` package, an implementation independent of
// ours), retries after a failure or a receiver too slow to answer, deactivation after a day of failures, filters, a server
// restart in the middle, two instances sharing one webhook (PostgreSQL), and the URLs a
// webhook may not target.

import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { type App, type AppOptions, createApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { waitUntil } from '../support/feed-clients.ts';
import { page } from '../support/pages.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const CREATE = `
  mutation Create($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      secret
      webhook { id url active category { slug } actor { slug } }
    }
  }
`;
const LIST = `
  {
    webhooks(first: 20) {
      totalCount
      edges { node {
        id url active failures failingSince lastError nextAttemptAt deactivatedAt
        lastDeliveredSequence lastDeliveredAt category { slug } actor { slug }
      } }
    }
  }
`;
const DELETE = 'mutation Delete($id: ID!) { deleteWebhook(id: $id) { deletedWebhookId } }';
const INGEST = 'mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { outcome } }';
const TRENDS = '{ trends(first: 50) { edges { node { sequence cursor article { id slug title } } } } }';

interface WebhookState {
  id: string;
  url: string;
  active: boolean;
  failures: number;
  failingSince: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deactivatedAt: string | null;
  lastDeliveredSequence: number | null;
  lastDeliveredAt: string | null;
  category: { slug: string } | null;
  actor: { slug: string } | null;
}

interface Delivery {
  type: string;
  timestamp: string;
  data: {
    sequence: number;
    cursor: string;
    publishedAt: string;
    article: {
      id: string;
      slug: string;
      title: string;
      url: string;
      publishedAt: string;
      category: { slug: string; name: string } | null;
      actors: { slug: string; name: string; kind: string }[];
    };
  };
}

interface GraphQLResult<Data> {
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function graphql<Data>(app: App, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await app.yoga.fetch('http://archive.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<Data>;
}

async function data<Data>(app: App, query: string, variables: Record<string, unknown>, token?: string) {
  const result = await graphql<Data>(app, query, variables, token);
  if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

let pageNumber = 0;
/** A new page of its own minute; `text` decides whom it names. */
function newsPage(category: string, text: string): string {
  const n = ++pageNumber;
  return page(
    `${category}: Webhook item ${n}`,
    `March ${1 + Math.floor(n / 1440)}, 2021 ${String(Math.floor(n / 60) % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`,
    [text],
  );
}

const sequencesOf = (receiver: WebhookReceiver) =>
  receiver.requests.map((request) => (JSON.parse(request.body) as Delivery).data.sequence);

/** An app that delivers webhooks to local receivers, quickly enough for tests. */
function deliveringApp(prisma: AppOptions['prisma'], delivery: Record<string, number> = {}): App {
  return createApp({
    prisma,
    subscribers: {
      publicBaseUrl: 'https://news.example',
      webhookAllowPrivate: true,
      webhookDelivery: { pollIntervalMs: 100, retryBaseMs: 1_000, ...delivery },
    },
  });
}

async function startDelivering(app: App): Promise<App> {
  await app.start(0);
  app.webhookDispatcher!.start();
  return app;
}

for (const target of await testTargets()) {
  describe(`webhooks on ${target}`, () => {
    let db: TestDatabase;
    let app: App;
    let token: string;
    const receivers: WebhookReceiver[] = [];
    const receiver = async () => {
      const started = await startWebhookReceiver();
      receivers.push(started);
      return started;
    };
    const create = async (input: Record<string, unknown>) =>
      (await data<{ createWebhook: { secret: string; webhook: { id: string } } }>(app, CREATE, { input }, token))
        .createWebhook;
    const ingest = async (text: string) =>
      data(app, INGEST, { input: { text, sourceName: `webhook-${pageNumber}.txt` } }, token);
    const states = async () =>
      (await data<{ webhooks: { edges: { node: WebhookState }[] } }>(app, LIST, {}, token)).webhooks.edges.map(
        (edge) => edge.node,
      );
    const stateOf = async (id: string) => (await states()).find((state) => state.id === id)!;

    beforeAll(async () => {
      db = await createTestDatabase(target);
      token = await createToken(db.prisma, 'webhook-editor');
      app = await startDelivering(deliveringApp(db.prisma));
    });
    afterEach(async () => {
      // Each test's webhooks go, so the next test's receivers see only their own.
      await db.prisma.webhook.deleteMany();
      await Promise.all(receivers.splice(0).map((started) => started.close()));
    });
    afterAll(async () => {
      await app?.stop();
      await db?.dispose();
    });

    it('POSTs each new item once, in order, signed so that the standardwebhooks package verifies it', async () => {
      const hook = await receiver();
      const before = await ingest(newsPage('Security', 'Minsk met Moscow.')); // before the webhook: not sent
      expect(before).toBeTruthy();
      const { secret, webhook } = await create({ url: hook.url });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);

      await ingest(newsPage('Security', 'Foreign Minister Makei met the Kremlin.'));
      await ingest(newsPage('Economy', 'President Lukashenko opened a factory.'));
      await hook.waitForRequests(2);
      await app.webhookDispatcher!.settled(); // a duplicate would have been sent by now

      const trends = (
        await data<{
          trends: {
            edges: {
              node: { sequence: number; cursor: string; article: { id: string; slug: string; title: string } };
            }[];
          };
        }>(app, TRENDS, {})
      ).trends.edges.map((edge) => edge.node);
      const expected = trends.slice(0, 2).reverse(); // the two newest, oldest first
      expect(sequencesOf(hook)).toEqual(expected.map((item) => item.sequence));

      const verifier = new StandardWebhook(secret);
      for (const [n, request] of hook.requests.entries()) {
        const headers = request.headers as Record<string, string>;
        const payload = verifier.verify(request.body, headers) as Delivery;
        expect(headers['webhook-id']).toBe(String(expected[n]!.sequence));
        expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
        expect(headers['content-type']).toBe('application/json');
        expect(payload).toMatchObject({
          type: 'trend.published',
          data: {
            sequence: expected[n]!.sequence,
            cursor: expected[n]!.cursor,
            article: {
              id: expected[n]!.article.id,
              slug: expected[n]!.article.slug,
              title: expected[n]!.article.title,
              url: `https://news.example/articles/${expected[n]!.article.slug}`,
            },
          },
        });
        expect(payload.data.publishedAt).toBe(payload.timestamp);
      }
      const [security, economy] = hook.requests.map((request) => JSON.parse(request.body) as Delivery);
      expect(security!.data.article.category).toEqual({ slug: 'security', name: 'Security' });
      expect(security!.data.article.actors.map((actor) => actor.slug)).toEqual(
        expect.arrayContaining(['vladimir-makei', 'russia']),
      );
      expect(economy!.data.article.category).toEqual({ slug: 'economy', name: 'Economy' });

      // A signature made with another secret, or over another body, does not verify.
      const forged = { ...hook.requests[0]!.headers } as Record<string, string>;
      expect(() =>
        new StandardWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(hook.requests[0]!.body, forged),
      ).toThrow();
      expect(() => verifier.verify(hook.requests[0]!.body.replace('Webhook', 'Webhooc'), forged)).toThrow();

      const state = await stateOf(webhook.id);
      expect(state).toMatchObject({
        active: true,
        failures: 0,
        lastError: null,
        failingSince: null,
        lastDeliveredSequence: expected[1]!.sequence,
      });
      expect(state.lastDeliveredAt).not.toBeNull();
    });

    it('sends a filtered webhook only its category or actor (an alias slug names the actor)', async () => {
      const economyHook = await receiver();
      const makeiHook = await receiver();
      const economy = await create({ url: economyHook.url, category: 'economy' });
      const makei = await create({ url: makeiHook.url, actor: 'makey' });
      expect(economy.webhook).toMatchObject({ category: { slug: 'economy' }, actor: null });
      expect(makei.webhook).toMatchObject({ category: null, actor: { slug: 'vladimir-makei' } });

      await ingest(newsPage('Security', 'Foreign Minister Makei spoke in Minsk.'));
      await ingest(newsPage('Economy', 'Rain fell all week.'));
      await ingest(newsPage('Politics', 'Nobody of note spoke.'));
      await ingest(newsPage('Economy', 'Vladimir Makey visited a plant.'));
      await economyHook.waitForRequests(2);
      await makeiHook.waitForRequests(2);
      await app.webhookDispatcher!.settled();
      const titles = (receiver: WebhookReceiver) =>
        receiver.requests.map((request) => (JSON.parse(request.body) as Delivery).data.article.title);
      expect(titles(economyHook)).toEqual([`Webhook item ${pageNumber - 2}`, `Webhook item ${pageNumber}`]);
      expect(titles(makeiHook)).toEqual([`Webhook item ${pageNumber - 3}`, `Webhook item ${pageNumber}`]);
    });

    it('retries after a 500 with a backoff, then delivers every item exactly once', async () => {
      const hook = await receiver();
      hook.answers.push(500);
      const { webhook } = await create({ url: hook.url });
      await ingest(newsPage('Security', 'First try fails.'));
      await hook.waitForRequests(1);
      await waitUntil(async () => (await stateOf(webhook.id)).failures === 1, 15_000, 'the failure to be recorded');
      const failing = await stateOf(webhook.id);
      expect(failing).toMatchObject({ active: true, failures: 1, lastError: 'HTTP 500', lastDeliveredSequence: null });
      expect(failing.failingSince).not.toBeNull();
      expect(Date.parse(failing.nextAttemptAt!)).toBeGreaterThan(hook.requests[0]!.receivedAt);

      await ingest(newsPage('Security', 'The second item waits for the first.'));
      await hook.waitForRequests(3);
      await app.webhookDispatcher!.settled();
      const [first, retry] = hook.requests;
      expect(hook.requests.map((request) => request.status)).toEqual([500, 200, 200]);
      // The retry is the same message: same id, same bytes; half the first backoff step at least.
      expect(retry!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      expect(retry!.body).toBe(first!.body);
      expect(retry!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(450);
      const sequences = sequencesOf(hook);
      expect(sequences[2]).toBe(sequences[0]! + 1);
      expect(await stateOf(webhook.id)).toMatchObject({
        failures: 0,
        lastError: null,
        failingSince: null,
        lastDeliveredSequence: sequences[2],
      });
    });

    it('counts a receiver that does not answer within the time limit as a failure, and retries', async () => {
      // The limit is 5 s in production; 300 ms here, on an app of its own for this test.
      await app.stop();
      app = await startDelivering(deliveringApp(db.prisma, { timeoutMs: 300 }));
      try {
        const hook = await receiver();
        hook.delayMs = 1_500; // answers 200, but too late
        const { webhook } = await create({ url: hook.url });
        await ingest(newsPage('Security', 'The receiver is slow today.'));
        await hook.waitForRequests(1);
        await waitUntil(async () => (await stateOf(webhook.id)).failures === 1, 15_000, 'the timeout to be recorded');
        expect(await stateOf(webhook.id)).toMatchObject({
          active: true,
          failures: 1,
          lastError: 'no answer within 0.3 s',
          lastDeliveredSequence: null,
        });

        hook.delayMs = 0;
        await hook.waitForRequests(2);
        await waitUntil(
          async () => (await stateOf(webhook.id)).lastDeliveredSequence !== null,
          15_000,
          'the retry to be recorded',
        );
        const [late, retry] = hook.requests;
        expect(retry!.headers['webhook-id']).toBe(late!.headers['webhook-id']);
        expect(await stateOf(webhook.id)).toMatchObject({
          failures: 0,
          lastError: null,
          lastDeliveredSequence: sequencesOf(hook)[0],
        });
      } finally {
        await app.stop();
        app = await startDelivering(deliveringApp(db.prisma));
      }
    });

    it('deactivates a webhook that has been failing for 24 hours, and sends it nothing more', async () => {
      const hook = await receiver();
      hook.defaultStatus = 503;
      const { webhook } = await create({ url: hook.url });
      // A day of failures, as if its receiver had been down since yesterday.
      await db.prisma.$executeRaw`
        UPDATE "Webhook" SET failures = 25, "failingSince" = now() - interval '24 hours 5 minutes'`;
      await ingest(newsPage('Security', 'Nobody is listening.'));
      await hook.waitForRequests(1);
      await waitUntil(async () => !(await stateOf(webhook.id)).active, 15_000, 'the webhook to be deactivated');
      const state = await stateOf(webhook.id);
      expect(state).toMatchObject({ active: false, failures: 26, lastError: 'HTTP 503', nextAttemptAt: null });
      expect(state.deactivatedAt).not.toBeNull();
      await ingest(newsPage('Security', 'Still nobody.'));
      await app.webhookDispatcher!.settled(); // looked for due webhooks after that ingest
      expect(hook.requests).toHaveLength(1);
    });

    it('shows webhooks to editors only, also through node(id:)', async () => {
      const hook = await receiver();
      const { webhook } = await create({ url: hook.url });
      const query = 'query Node($id: ID!) { node(id: $id) { id ... on Webhook { url } } }';
      const anonymous = await graphql<{ node: unknown }>(app, query, { id: webhook.id });
      expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(anonymous)).not.toContain(hook.url);
      const editor = await data<{ node: { id: string; url: string } }>(app, query, { id: webhook.id }, token);
      expect(editor.node).toEqual({ id: webhook.id, url: hook.url });
      const deleted = await graphql(app, DELETE, { id: webhook.id });
      expect(deleted.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await db.prisma.webhook.count()).toBe(1);
    });

    it('stops sending to a deleted webhook; deleting an unknown one is NOT_FOUND', async () => {
      const hook = await receiver();
      const { webhook } = await create({ url: hook.url });
      expect(await data(app, DELETE, { id: webhook.id }, token)).toEqual({
        deleteWebhook: { deletedWebhookId: webhook.id },
      });
      await ingest(newsPage('Security', 'Sent to no one.'));
      await app.webhookDispatcher!.settled(); // looked for due webhooks after that ingest
      expect(hook.requests).toHaveLength(0);
      const again = await graphql(app, DELETE, { id: webhook.id }, token);
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('resumes from the webhook cursor after a server restart in the middle of deliveries', async () => {
      const hook = await receiver();
      await create({ url: hook.url });
      await ingest(newsPage('Security', 'Before the restart, one.'));
      await ingest(newsPage('Security', 'Before the restart, two.'));
      await hook.waitForRequests(2);
      // The third is in flight (the receiver takes its time) when the server is told to stop.
      hook.delayMs = 800;
      await ingest(newsPage('Security', 'In flight during the stop.'));
      await hook.waitForRequests(3);
      await app.stop();
      hook.delayMs = 0;
      // Published while no server runs.
      for (const text of ['While down, one.', 'While down, two.']) {
        await ingestDocument(db.prisma, newsPage('Security', text), `down-${pageNumber}.txt`);
      }
      // The stopped server finished its delivery in flight; no other one runs.
      expect(hook.requests).toHaveLength(3);
      app = await startDelivering(deliveringApp(db.prisma));
      await hook.waitForRequests(5);
      await app.webhookDispatcher!.settled();
      const sequences = sequencesOf(hook);
      expect(sequences).toEqual([0, 1, 2, 3, 4].map((n) => sequences[0]! + n));
      expect(hook.requests.every((request) => request.status === 200)).toBe(true);
    });
  });
}

describe('webhook URLs', () => {
  let db: TestDatabase;
  let app: App;
  let token: string;
  let hook: WebhookReceiver;
  beforeAll(async () => {
    const [target] = await testTargets();
    db = await createTestDatabase(target!);
    token = await createToken(db.prisma, 'url-editor');
    // The production default: no private targets, https only.
    app = createApp({ prisma: db.prisma, subscribers: { webhookDelivery: { pollIntervalMs: 100 } } });
    await app.start(0);
    app.webhookDispatcher!.start();
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await hook?.close();
    await app?.stop();
    await db?.dispose();
  });

  it.each([
    ['http://example.com/hook', 'NOT_HTTPS'],
    ['ftp://example.com/hook', 'NOT_HTTPS'],
    ['not a url', 'INVALID_URL'],
    ['https://127.0.0.1/hook', 'PRIVATE_ADDRESS'],
    ['https://localhost:8443/hook', 'PRIVATE_ADDRESS'],
    ['https://[::1]/hook', 'PRIVATE_ADDRESS'],
    ['https://[::ffff:127.0.0.1]/hook', 'PRIVATE_ADDRESS'],
    ['https://10.1.2.3/hook', 'PRIVATE_ADDRESS'],
    ['https://172.20.0.1/hook', 'PRIVATE_ADDRESS'],
    ['https://192.168.1.10/hook', 'PRIVATE_ADDRESS'],
    ['https://169.254.169.254/latest/meta-data/', 'PRIVATE_ADDRESS'],
    ['https://100.100.100.200/latest/meta-data/', 'PRIVATE_ADDRESS'],
    ['https://[fd00:ec2::254]/latest/meta-data/', 'PRIVATE_ADDRESS'],
    ['https://[fe80::1]/hook', 'PRIVATE_ADDRESS'],
    ['https://0.0.0.0/hook', 'PRIVATE_ADDRESS'],
  ])('refuses %s (%s) and stores nothing', async (url, problem) => {
    const result = await graphql(app, CREATE, { input: { url } }, token);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
      problem,
      argument: 'input.url',
    });
    expect(await db.prisma.webhook.count()).toBe(0);
  });

  it('refuses an unknown category or actor, and callers without the editor scope', async () => {
    const category = await graphql(app, CREATE, { input: { url: 'https://8.8.8.8/hook', category: 'nope' } }, token);
    expect(category.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.category' });
    const actor = await graphql(app, CREATE, { input: { url: 'https://8.8.8.8/hook', actor: 'nobody' } }, token);
    expect(actor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.actor' });
    const anonymous = await graphql(app, CREATE, { input: { url: 'https://8.8.8.8/hook' } });
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const list = await graphql(app, LIST, {});
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await db.prisma.webhook.count()).toBe(0);
  });

  it('refuses, at delivery, stored webhooks whose address is private, without connecting', async () => {
    // As if created while WEBHOOK_ALLOW_PRIVATE=1 was set, delivered by a server without it:
    // by address, by a name that resolves to loopback, and over plain http.
    const port = new URL(hook.url).port;
    const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const urls = [`https://127.0.0.1:${port}/hook`, `https://localhost:${port}/hook`, hook.url];
    for (const url of urls) await db.prisma.webhook.create({ data: { url, secret, cursorSequence: 0 } });
    await ingestDocument(db.prisma, newsPage('Security', 'Minsk met Moscow.'), 'private.txt');
    await waitUntil(
      async () => (await db.prisma.webhook.findMany({ where: { failures: 0 } })).length === 0,
      15_000,
      'a failed attempt at each',
    );
    const errors = (await db.prisma.webhook.findMany({ orderBy: { id: 'asc' } })).map((webhook) => webhook.lastError);
    expect(errors).toEqual([
      'refused: 127.0.0.1 resolves to a non-public address',
      'refused: localhost resolves to a non-public address',
      'refused: http: URLs are not allowed',
    ]);
    expect(hook.requests).toHaveLength(0);
  });
});

const postgresTargets = (await testTargets()).filter((target) => target === 'postgres');

for (const target of postgresTargets) {
  describe(`two instances sharing ${target}`, () => {
    let db: TestDatabase;
    let secondDatabase: Awaited<ReturnType<typeof openDatabase>>;
    let a: App;
    let b: App;
    let aStopped = false;
    let hook: WebhookReceiver;
    beforeAll(async () => {
      db = await createTestDatabase(target);
      secondDatabase = await openDatabase(parseDatabaseUrl(db.url!));
      // Both look for due webhooks every 20 ms, so they contend for the same one all the time.
      a = await startDelivering(deliveringApp(db.prisma, { pollIntervalMs: 20 }));
      b = await startDelivering(deliveringApp(secondDatabase.prisma, { pollIntervalMs: 20 }));
      hook = await startWebhookReceiver();
    });
    afterAll(async () => {
      await hook?.close();
      if (!aStopped) await a?.stop();
      await b?.stop();
      await secondDatabase?.close();
      await db?.dispose();
    });

    it('delivers each item once per webhook, in order, whichever instance delivers it', async () => {
      const token = await createToken(db.prisma, 'two-instances');
      const created = await graphql<{ createWebhook: { webhook: { id: string } } }>(
        a,
        CREATE,
        { input: { url: hook.url } },
        token,
      );
      expect(created.errors).toBeUndefined();
      hook.delayMs = 30; // deliveries overlap the other instance's polls
      for (let n = 0; n < 8; n++) {
        await ingestDocument(
          n % 2 ? db.prisma : secondDatabase.prisma,
          newsPage('Security', 'Minsk met Moscow.'),
          `two-${n}.txt`,
        );
      }
      await hook.waitForRequests(8);
      // One instance goes away; the other carries on from the webhook's cursor.
      await a.stop();
      aStopped = true;
      for (let n = 0; n < 4; n++) {
        await ingestDocument(secondDatabase.prisma, newsPage('Security', 'Minsk met Warsaw.'), `two-after-${n}.txt`);
      }
      await hook.waitForRequests(12);
      await b.webhookDispatcher!.settled();
      const sequences = sequencesOf(hook);
      expect(sequences).toEqual(Array.from({ length: 12 }, (_, n) => sequences[0]! + n));
      expect(a.webhookDispatcher!.delivered + b.webhookDispatcher!.delivered).toBe(12);
      expect(b.webhookDispatcher!.delivered).toBeGreaterThanOrEqual(4);
    });
  });
}
