// With REDIS_URL, every instance draws from one rate-limit budget per client address;
// while Redis is away each instance counts on its own, and shares again once it is back.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.ts';
import { createSharedRateLimiter } from '../../src/server/rate-limit.ts';
import { RATE_LIMITED_CLOSE_CODE } from '../../src/server/websocket.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { subscribeOverWebSocket, waitUntil } from '../support/feed-clients.ts';
import { createOwnRedis, type OwnService } from '../support/own-services.ts';
import { redisForTests, TEST_REDIS_URL } from '../support/redis.ts';

const redisAvailable = await redisForTests();
const LIMITS = { rateLimitPoints: 4, rateLimitWindowSeconds: 60 };

interface Instance {
  app: App;
  url: string;
  log: string[];
}

/** Two instances on one database, their budgets in `redisUrl` under `keyPrefix`. */
async function twoInstances(db: TestDatabase, redisUrl: string, keyPrefix: string): Promise<Instance[]> {
  return Promise.all(
    [0, 1].map(async () => {
      const log: string[] = [];
      const rateLimiter = createSharedRateLimiter(LIMITS, { redisUrl, keyPrefix, log: (line) => log.push(line) });
      const app = createApp({ prisma: db.prisma, limits: LIMITS, rateLimiter, log: () => {} });
      await rateLimiter.connected;
      return { app, url: `http://localhost:${await app.start(0)}/graphql`, log };
    }),
  );
}

async function statusOf(instance: Instance): Promise<number> {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ categories { slug } }"}',
  });
  await response.arrayBuffer();
  return response.status;
}

for (const target of redisAvailable ? await testTargets() : []) {
  describe(`two instances sharing one rate limit through Redis, on ${target}`, () => {
    const keyPrefix = `test:${randomUUID()}:rate-limit`;
    let db: TestDatabase;
    let instances: Instance[];
    beforeAll(async () => {
      db = await createTestDatabase(target);
      instances = await twoInstances(db, TEST_REDIS_URL, keyPrefix);
    });
    afterAll(async () => {
      for (const instance of instances ?? []) await instance.app.stop();
      await db?.dispose();
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    it('refuses on one instance what the client spent on the other, over HTTP and WebSocket', async () => {
      const [a, b] = instances as [Instance, Instance];
      expect([await statusOf(a), await statusOf(b), await statusOf(a), await statusOf(b)]).toEqual([
        200, 200, 200, 200,
      ]);
      expect([await statusOf(a), await statusOf(b)]).toEqual([429, 429]);
      const overWebSocket = subscribeOverWebSocket(
        b.url.replace('http:', 'ws:'),
        'subscription { trendPublished { sequence } }',
      );
      await overWebSocket.ended;
      expect(overWebSocket.closeCode()).toBe(RATE_LIMITED_CLOSE_CODE);
      // The budget lives in Redis, under this test's own prefix.
      const redis = new Redis(TEST_REDIS_URL);
      expect((await redis.keys(`${keyPrefix}*`)).length).toBe(1);
      await redis.quit();
    });
  });
}

describe.runIf(redisAvailable)('the shared rate limit while Redis is away (own Redis on a spare port)', () => {
  let redis: OwnService;
  let db: TestDatabase;
  let instances: Instance[];
  beforeAll(async () => {
    redis = await createOwnRedis();
    await redis.start();
    db = await createTestDatabase('pglite');
    instances = await twoInstances(db, redis.url, 'archive:rate-limit');
  });
  afterAll(async () => {
    for (const instance of instances ?? []) await instance.app.stop();
    await db?.dispose();
    await redis?.destroy();
  });

  it('never refuses because Redis is down: each instance counts alone, then the budget is shared again', async () => {
    const [a, b] = instances as [Instance, Instance];
    expect(await statusOf(a)).toBe(200);

    await redis.stop();
    // Each instance now has a budget of its own, of the same size, and says so once.
    const duringOutage = async (instance: Instance) => {
      const statuses = [];
      for (let n = 0; n < 5; n++) statuses.push(await statusOf(instance));
      return statuses;
    };
    expect(await duringOutage(a)).toEqual([200, 200, 200, 200, 429]);
    expect(await duringOutage(b)).toEqual([200, 200, 200, 200, 429]);
    for (const instance of instances) {
      expect(instance.log.filter((line) => line.includes('Redis unreachable'))).toHaveLength(1);
    }

    await redis.start(); // empty: it keeps nothing on disk
    await waitUntil(
      () => instances.every((instance) => instance.log.some((line) => line.includes('Redis is back'))),
      15_000,
      'both instances to reconnect',
    );
    expect([await statusOf(a), await statusOf(b), await statusOf(a), await statusOf(b)]).toEqual([200, 200, 200, 200]);
    expect([await statusOf(a), await statusOf(b)]).toEqual([429, 429]);
  }, 60_000);
});
