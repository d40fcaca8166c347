// Real subscription clients over real sockets: graphql-ws over WebSocket, and GraphQL
// over Server-Sent Events read from a streaming fetch. Both collect what they receive.

import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { TrendHub } from '../../src/feed/trend-hub.ts';

export interface Subscription<Item> {
  /** Every item received so far, in order. */
  items: Item[];
  errors: unknown[];
  /** Resolves when the stream has ended (completed, failed or closed). */
  ended: Promise<void>;
  /** Waits until at least `count` items have arrived; fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Item[]>;
  close(): Promise<void>;
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `promise`, or a failure naming `what` once `timeoutMs` have passed without it settling. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends the live feed once each hub has handed out everything through `sequence` (by
 * default only after that sequence's signal has come back to it too), and waits for the
 * subscriptions to end. A stream completes after the items it was given, so each client
 * then holds every item it will ever receive up to `sequence`: a test can say that
 * nothing more arrives, with no sleep that a slow machine could outlast.
 */
export async function endFeedAfter(
  sequence: number,
  hubs: readonly TrendHub[],
  subscriptions: readonly { ended: Promise<void> }[],
  { signalHeard = true }: { signalHeard?: boolean } = {},
): Promise<void> {
  for (const hub of hubs) {
    await within(hub.settled(sequence, { signalHeard }), 30_000, `the hub to hand out everything through ${sequence}`);
  }
  await Promise.all(hubs.map((hub) => hub.close()));
  await within(
    Promise.all(subscriptions.map((subscription) => subscription.ended)),
    10_000,
    'the subscriptions to end',
  );
}

function collector<Item>(dispose: () => Promise<void> | void) {
  const items: Item[] = [];
  const errors: unknown[] = [];
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const subscription: Subscription<Item> = {
    items,
    errors,
    ended,
    async waitFor(count, timeoutMs = 10_000) {
      await waitUntil(
        () => items.length >= count || errors.length > 0,
        timeoutMs,
        `${count} items (have ${items.length})`,
      );
      if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
      return items;
    },
    close: async () => dispose(),
  };
  return { subscription, items, errors, end };
}

export interface WebSocketSubscription<Item> extends Subscription<Item> {
  /** The close event of the socket, once closed (e.g. code 1001 when the server stops). */
  closeCode: () => number | null;
  /** Resolves once the server has acknowledged the connection. */
  connected: Promise<void>;
}

/** Subscribes over graphql-ws; `select` picks the item out of each result's data. */
export function subscribeOverWebSocket<Item>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  select: (data: Record<string, unknown>) => Item = (data) => Object.values(data)[0] as Item,
  connectionParams?: Record<string, unknown>,
): WebSocketSubscription<Item> {
  let closeCode: number | null = null;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // A close is reported through `closed` and the sink; the default would also print it.
    onNonLazyError: () => {},
    connectionParams,
    on: {
      connected: () => markConnected(),
      closed: (event) => {
        closeCode = (event as { code?: number }).code ?? null;
        end();
      },
    },
  });
  const { subscription, items, errors, end } = collector<Item>(() => client.dispose());
  client.subscribe(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else items.push(select(result.data as Record<string, unknown>));
      },
      error: (error) => {
        errors.push(error);
        end();
      },
      complete: () => end(),
    },
  );
  return { ...subscription, closeCode: () => closeCode, connected };
}

/** Subscribes over GraphQL-over-SSE (yoga's distinct-connections mode). */
export function subscribeOverSse<Item>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  select: (data: Record<string, unknown>) => Item = (data) => Object.values(data)[0] as Item,
): Subscription<Item> & { connected: Promise<void> } {
  const abort = new AbortController();
  const { subscription, items, errors, end } = collector<Item>(() => abort.abort());
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  void (async () => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query, variables }),
        signal: abort.signal,
      });
      if (!response.ok || !response.body) throw new Error(`SSE request failed: HTTP ${response.status}`);
      markConnected();
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const message = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = message
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (event === 'complete') return;
          if (event === 'next' && data) {
            const result = JSON.parse(data) as { data?: Record<string, unknown>; errors?: unknown };
            if (result.errors) errors.push(result.errors);
            else items.push(select(result.data!));
          }
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) errors.push(error);
    } finally {
      end();
    }
  })();
  return { ...subscription, connected };
}

/**
 * One query or mutation over graphql-ws; resolves with its single result. `payload` adds
 * fields to the subscribe message (a persisted operation's documentId or extensions).
 */
export async function executeOverWebSocket(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams?: Record<string, unknown>,
  payload: Record<string, unknown> = {},
): Promise<{
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams });
  try {
    const results = client.iterate({ query, variables, ...payload });
    const { value } = await results.next();
    await results.return?.();
    return value as never;
  } finally {
    await client.dispose();
  }
}

/**
 * Runs the graphql-ws resume recipe of the docs as written, its `ws://localhost:4000`
 * pointed at `url`: its imports are the real graphql-ws and ws; what it prints is
 * collected.
 */
export function runResumeRecipe(recipe: string, url: string) {
  const printed: string[] = [];
  const failures: unknown[] = [];
  let client: Client | undefined;
  const code = recipe.replace(/^import .*$/gm, '').replace(`'ws://localhost:4000/graphql'`, JSON.stringify(url));
  const trackedCreateClient = (options: Parameters<typeof createClient>[0]) => (client = createClient(options));
  const console = { log: (line: string) => printed.push(line), error: (error: unknown) => failures.push(error) };
  new Function('createClient', 'WebSocket', 'console', code)(trackedCreateClient, WebSocket, console);
  return { printed, failures, dispose: () => client?.dispose() };
}
