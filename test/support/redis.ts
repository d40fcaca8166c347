// The Redis the scale-out tests share. Like PostgreSQL: skipped when unreachable on a
// developer machine (the run's summary says so, see skips.ts), a failure in CI (CI=true)
// or when TEST_REDIS_URL names it explicitly.

import { Redis } from 'ioredis';
import { reportSkipped } from './skips.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether the Redis tests run; throws where Redis is required but unreachable. */
export async function redisForTests(): Promise<boolean> {
  if (await redisReachable()) return true;
  if (process.env.CI === 'true' || process.env.TEST_REDIS_URL !== undefined) {
    throw new Error(
      `Redis at ${TEST_REDIS_URL} is unreachable, and the tests require it (CI=true or TEST_REDIS_URL set)`,
    );
  }
  reportSkipped('Redis', `Redis at ${TEST_REDIS_URL} is unreachable`);
  return false;
}
