// Subscriber load for `npm run bench`, run as its own process: N graphql-ws clients
// subscribed to trendPublished. Reports to the parent over IPC: "ready" once all are
// connected, then for each sequence the receive times (ms since the epoch, sub-ms).

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, count] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const received = new Map<number, number[]>();
const clients: ReturnType<typeof createClient>[] = [];
const BATCH = 250;

function subscribeOne(): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: url!,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: reject,
      on: { connected: () => resolve() },
    });
    clients.push(client);
    client.subscribe(
      { query: 'subscription { trendPublished { sequence } }' },
      {
        next: (result) => {
          const at = now();
          const sequence = (result.data as { trendPublished: { sequence: number } }).trendPublished.sequence;
          const times = received.get(sequence) ?? [];
          times.push(at);
          received.set(sequence, times);
          if (times.length === Number(count)) process.send!({ type: 'received', sequence, times });
        },
        error: (error) => process.send!({ type: 'error', message: String(error) }),
        complete: () => {},
      },
    );
  });
}

for (let n = 0; n < Number(count); n += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, Number(count) - n) }, subscribeOne));
}
process.send!({ type: 'connected' });
process.on('message', async (message: { type: string }) => {
  if (message.type === 'stop') {
    await Promise.all(clients.map((client) => client.dispose()));
    process.exit(0);
  }
});
