// A webhook receiver on 127.0.0.1 for tests: records every request it gets and answers as
// the test scripts it (a status per request, a delay before answering).

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** What it answered. */
  status: number;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers to come, in order; once used up, `defaultStatus`. */
  answers: number[];
  defaultStatus: number;
  /** Milliseconds to wait before answering each request. */
  delayMs: number;
  /** Resolves when `count` requests have arrived (answered or not). */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = {
    requests: [] as ReceivedRequest[],
    answers: [] as number[],
    defaultStatus: 200,
    delayMs: 0,
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const status = receiver.answers.shift() ?? receiver.defaultStatus;
    const received: ReceivedRequest = {
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      status,
      receivedAt: Date.now(),
    };
    receiver.requests.push(received);
    if (receiver.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, receiver.delayMs));
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(status < 300 ? 'ok' : 'not now');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    async waitForRequests(count: number, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.requests.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${count} webhook requests (have ${receiver.requests.length})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return receiver.requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
