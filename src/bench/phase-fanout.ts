// Live fan-out: graphql-ws subscribers in a child process (ws-load.ts), publish → receive
// latency per event, server memory per idle subscriber, and SQL statements per event.

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ingestDocument } from '../archive/write/writer.ts';
import type { App } from '../server/app.ts';
import type { Bench } from './bench.ts';
import { BENCH_DIR } from './processes.ts';
import { fmt, percentile } from './report.ts';
import { syntheticPage } from './synthetic-corpus.ts';

const now = () => performance.timeOrigin + performance.now();

export async function measureFanOut(bench: Bench, app: App, port: number): Promise<void> {
  const { sizes, database, report } = bench;
  // RSS alone misleads here: the heap the earlier phases grew is released back to the
  // system while the subscribers connect, so an RSS difference can even come out
  // negative. Memory is read after two collections, and the figure is the larger of the
  // RSS difference and the difference in JS heap plus buffers.
  const settledMemory = async () => {
    for (let n = 0; n < 2; n++) {
      global.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const { rss, heapUsed, external } = process.memoryUsage();
    return { rss, heap: heapUsed + external };
  };
  // One-time growth on the first WebSocket connections (the allocator's arenas, V8's
  // young generation, lazily compiled code) is not a cost per subscriber: a first batch
  // connects and leaves before anything is measured. Without it, the RSS growth at 1,000
  // subscribers came out at 48-54 KB each in two runs out of three, against 21 KB of heap
  // and buffers, and 23 KB at 5,000 and 10,000.
  /** `count` graphql-ws subscribers in a child process (ws-load.ts), resolved once all are connected. */
  const connectSubscribers = async (count: number) => {
    const child: ChildProcess = fork(join(BENCH_DIR, 'ws-load.ts'), [`ws://127.0.0.1:${port}/graphql`, String(count)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages: { type: string; sequence?: number; times?: number[]; message?: string }[] = [];
    child.on('message', (message) => messages.push(message as never));
    const waitFor = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 180_000;
      while (!predicate()) {
        if (messages.some((m) => m.type === 'error'))
          throw new Error(`subscriber failed: ${JSON.stringify(messages.find((m) => m.type === 'error'))}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitFor(
      () => messages.some((m) => m.type === 'connected') && app.hub.subscriberCount === count,
      `${count} subscribers`,
    );
    const disconnect = async () => {
      child.send({ type: 'stop' });
      await once(child, 'exit');
    };
    return { messages, waitFor, disconnect };
  };
  const warmUpBatch = await connectSubscribers(Math.min(500, sizes.subscribers[0]!));
  await warmUpBatch.disconnect();
  await warmUpBatch.waitFor(() => app.hub.subscriberCount === 0, 'the warm-up subscribers to leave');
  let eventNumber = sizes.ingest;
  for (const subscribers of sizes.subscribers) {
    const before = await settledMemory();
    const { messages, waitFor, disconnect } = await connectSubscribers(subscribers);
    const after = await settledMemory();
    const rssPerSubscriber = (after.rss - before.rss) / subscribers / 1024;
    const heapPerSubscriber = (after.heap - before.heap) / subscribers / 1024;
    const perSubscriber = Math.max(rssPerSubscriber, heapPerSubscriber);

    const latencies: number[] = [];
    const perEvent: number[] = [];
    // The first event after the subscribers arrive runs cold paths (first delivery to each
    // socket, JIT, the garbage of 10k handshakes); it is reported on its own, and the goal
    // is measured on the events after it.
    let coldLatencies: number[] = [];
    for (let e = -1; e < sizes.events; e++) {
      const text = syntheticPage(eventNumber, eventNumber + 1, 7);
      const { trendSequence } = await ingestDocument(database.prisma, text, `event-${eventNumber++}.txt`);
      let t0 = 0;
      const statements = await bench.statementsOf(async () => {
        t0 = now();
        app.signals.publish({ sequence: trendSequence! });
        await waitFor(
          () => messages.some((m) => m.type === 'received' && m.sequence === trendSequence),
          `event ${trendSequence}`,
        );
      });
      const received = messages.find((m) => m.sequence === trendSequence)!.times!.map((at) => at - t0);
      if (e < 0) {
        coldLatencies = received;
        continue;
      }
      perEvent.push(statements.length);
      latencies.push(...received);
    }
    const goal = subscribers <= 1_000 ? 100 : subscribers >= 10_000 ? 500 : null;
    const p99 = percentile(latencies, 99);
    report.record(
      `fan-out to ${fmt(subscribers, 0)} WebSocket subscribers, publish → receive: p50 · p99 (ms)`,
      `${fmt(percentile(latencies, 50))} · ${fmt(p99)}`,
      goal === null ? '—' : `p99 ≤ ${goal}`,
      goal === null ? null : p99 <= goal,
    );
    report.record(
      `fan-out to ${fmt(subscribers, 0)} subscribers, the first event after they subscribed (cold): p50 · p99 (ms)`,
      `${fmt(percentile(coldLatencies, 50))} · ${fmt(percentile(coldLatencies, 99))}`,
    );
    report.record(
      `server memory per idle subscriber at ${fmt(subscribers, 0)} (KB: RSS ${fmt(rssPerSubscriber)}, heap + buffers ${fmt(heapPerSubscriber)}; the larger)`,
      fmt(perSubscriber),
      '≤ 50',
      perSubscriber <= 50,
    );
    report.record(`SQL statements per event at ${fmt(subscribers, 0)} subscribers`, perEvent.join(', '));
    await disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
