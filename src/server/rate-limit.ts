// The rate limit's budget per client address: in this process, or shared by every
// instance through Redis (rate-limiter-flexible's Redis limiter, one counter per address).
//
// While Redis is away, each instance falls back to a budget of its own of the same size
// (the library's insurance limiter) and says so once in the log: requests are never
// refused because Redis is down, and during the outage a client spreading its requests
// over N instances gets up to N budgets. When Redis is back, counting is shared again.

import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limits } from './limits.ts';

interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the client may try again (when refused). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(clientAddress: string): Promise<RateLimitVerdict>;
  close(): Promise<void>;
}

export interface SharedRateLimitOptions {
  redisUrl: string;
  /** Prefix of the Redis keys, one per client address. */
  keyPrefix?: string;
  log?: (message: string) => void;
}

const DEFAULT_KEY_PREFIX = 'archive:rate-limit';
/**
 * A Redis that does not answer within this long counts as away for that request: a stalled
 * Redis must not stall every request.
 */
const REDIS_COMMAND_TIMEOUT_MS = 500;

function verdictOf(consumed: Promise<unknown>): Promise<RateLimitVerdict> {
  return consumed.then(
    () => ({ allowed: true, retryAfterSeconds: 0 }),
    (refusal: unknown) => {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    },
  );
}

type Budget = Pick<Limits, 'rateLimitPoints' | 'rateLimitWindowSeconds'>;

function budgetOf(limits: Budget) {
  return { points: limits.rateLimitPoints, duration: limits.rateLimitWindowSeconds };
}

/** A budget per client address, counted in this process. */
export function createRateLimiter(limits: Budget): RateLimiter {
  const limiter = new RateLimiterMemory(budgetOf(limits));
  return { consume: (clientAddress) => verdictOf(limiter.consume(clientAddress)), close: async () => {} };
}

/**
 * A budget per client address shared by every instance that uses the same Redis and key
 * prefix. Until its first connection is up, an instance counts on its own (as while Redis
 * is away); `connected` resolves once it is.
 */
export function createSharedRateLimiter(
  limits: Budget,
  options: SharedRateLimitOptions,
): RateLimiter & { connected: Promise<void> } {
  const log = options.log ?? ((message: string) => console.error(message));
  // No offline queue: while disconnected a command fails at once and the insurance
  // limiter answers, instead of requests waiting for a reconnect.
  const redis = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  const connected = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  let away = false;
  redis.on('error', (error: Error) => {
    if (away) return;
    away = true;
    log(`rate limit: Redis unreachable (${error.message}); each instance counts on its own until it is back`);
  });
  redis.on('ready', () => {
    if (!away) return;
    away = false;
    log('rate limit: Redis is back; the budget is shared again');
  });
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
    ...budgetOf(limits),
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(budgetOf(limits)),
  });
  return {
    consume: (clientAddress) => verdictOf(limiter.consume(clientAddress)),
    connected,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
