// Signals that trend events were committed. The TrendEvent rows are the source of truth;
// a signal only says "sequence N is committed, catch up". In one process the signals
// travel in memory; with REDIS_URL they go through Redis, so every server instance
// hears of an event whichever instance (or CLI) committed it.

import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

interface TrendPublished {
  sequence: number;
}

/** The topic, after the deployment's key prefix (REDIS_KEY_PREFIX) when it travels through Redis. */
const TREND_TOPIC = 'trendPublished';

type TrendPubSub = ReturnType<typeof createPubSub<Record<string, [TrendPublished]>>>;

export interface TrendSignals {
  /** Called once per committed event, by whoever committed it. */
  publish(signal: TrendPublished): void;
  /** Every signal, from this process or (with Redis) any other. */
  subscribe(): AsyncIterable<TrendPublished>;
  close(): Promise<void>;
}

function signalsOver(pubsub: TrendPubSub, topic: string, close: () => Promise<void>): TrendSignals {
  return {
    publish: (signal) => pubsub.publish(topic, signal),
    subscribe: () => pubsub.subscribe(topic),
    close,
  };
}

export function createLocalTrendSignals(): TrendSignals {
  return signalsOver(createPubSub<Record<string, [TrendPublished]>>(), TREND_TOPIC, async () => {});
}

export function createRedisTrendSignals(redisUrl: string, keyPrefix: string): TrendSignals {
  // A subscribed ioredis connection can only listen, so publishing needs its own.
  const options = { maxRetriesPerRequest: null, lazyConnect: false } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  for (const client of [publishClient, subscribeClient]) {
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const pubsub = createPubSub<Record<string, [TrendPublished]>>({ eventTarget });
  return signalsOver(pubsub, `${keyPrefix}${TREND_TOPIC}`, async () => {
    await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
  });
}

export function createTrendSignals(redisUrl: string | null, keyPrefix: string): TrendSignals {
  return redisUrl ? createRedisTrendSignals(redisUrl, keyPrefix) : createLocalTrendSignals();
}
