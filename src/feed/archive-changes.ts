// Signals that a write committed, with what it changed (src/archive/write/archive-change.ts):
// every server instance's response cache forgets those entities. In one process they
// travel in memory; with REDIS_URL through Redis, so a change committed by any instance,
// or by `npm run ingest` in another process, reaches all of them.
//
// The archive's revision in the database stays the arbiter (see response-cache.ts): a
// signal that is late or lost makes a cache stop serving, never serve something stale.

import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { ArchiveChange } from '../archive/write/archive-change.ts';

/** The Redis channel, after the deployment's key prefix (REDIS_KEY_PREFIX). */
const CHANNEL = 'archiveChanged';

export interface ArchiveChangeSignals {
  /** Announces a committed change to every instance (this one included); resolves once sent. */
  publish(change: ArchiveChange): Promise<void>;
  /** Every change, from this process or (with Redis) any other. */
  subscribe(): AsyncIterable<ArchiveChange>;
  close(): Promise<void>;
}

type ChangePubSub = ReturnType<typeof createPubSub<Record<string, [ArchiveChange]>>>;

function signalsOver(pubsub: ChangePubSub, topic: string, close: () => Promise<void>): ArchiveChangeSignals {
  return {
    publish: async (change) => pubsub.publish(topic, change),
    subscribe: () => pubsub.subscribe(topic),
    close,
  };
}

export function createLocalArchiveChangeSignals(): ArchiveChangeSignals {
  return signalsOver(createPubSub<Record<string, [ArchiveChange]>>(), CHANNEL, async () => {});
}

export function createRedisArchiveChangeSignals(redisUrl: string, keyPrefix: string): ArchiveChangeSignals {
  // A subscribed ioredis connection can only listen, so publishing needs its own.
  const options = { maxRetriesPerRequest: null } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  for (const client of [publishClient, subscribeClient]) {
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const topic = `${keyPrefix}${CHANNEL}`;
  const pubsub = createPubSub<Record<string, [ArchiveChange]>>({ eventTarget });
  return {
    // Straight through the publishing connection, so the caller knows it was sent.
    publish: async (change) => {
      await publishClient.publish(topic, JSON.stringify(change));
    },
    subscribe: () => pubsub.subscribe(topic),
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

export function createArchiveChangeSignals(redisUrl: string | null, keyPrefix: string): ArchiveChangeSignals {
  return redisUrl ? createRedisArchiveChangeSignals(redisUrl, keyPrefix) : createLocalArchiveChangeSignals();
}
