// GraphQL over WebSocket (graphql-ws, protocol graphql-transport-ws) on the same path
// as HTTP. Every operation goes through `yoga.getEnveloped`, so it gets the same
// plugins, context, limits, rate limit and error masking as an HTTP request; a client over
// its rate limit is also disconnected (close RATE_LIMITED_CLOSE_CODE). On top: at most N
// subscriptions per connection, a deadline for connection_init, and a maximum message size. Duplicate subscription ids are
// refused by graphql-ws itself (close 4409). The socket plumbing is ours (serveOverWs),
// for the sake of fan-out to thousands of subscribers.

import type { IncomingMessage, Server } from 'node:http';
import { type ExecutionArgs, type FormattedExecutionResult, GraphQLError } from 'graphql';
import { CloseCode, type Server as GraphqlWsServer, handleProtocols, makeServer } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Limits } from './limits.ts';

/**
 * Close code for a client over its rate limit: ours, in the 4000-4999 range the WebSocket
 * protocol leaves to applications and outside the codes graphql-ws uses (its 4429 means
 * "too many connection_init messages"). graphql-ws clients retry after it, with backoff.
 */
export const RATE_LIMITED_CLOSE_CODE = 4290;

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 "Going away" (clients reconnect, perhaps elsewhere) and stops accepting. */
  close(): Promise<void>;
  /** Sockets open now. */
  connectionCount(): number;
}

export interface WebSocketOptions {
  limits: Pick<Limits, 'connectionInitTimeoutMs' | 'maxSubscriptionsPerConnection' | 'maxMessageBytes'>;
  log?: (message: string) => void;
  /** The document a subscribe message runs (a persisted operation's, by hash), or why none. */
  documentFor?: (payload: { query: string; extensions?: unknown }) => string | GraphQLError;
}

/** What graphql-ws hands our hooks as `ctx.extra`. */
interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Ping every this often; a socket that has not answered the previous ping by then is dropped. */
const KEEP_ALIVE_MS = 12_000;
/**
 * Bytes a socket may hold unsent before its next message waits for them to be written.
 * Below it a send returns at once: with thousands of subscribers, a promise and a write
 * callback per message cost about a quarter of an event's fan-out (measured at 10,000).
 */
export const SEND_HIGH_WATER_BYTES = 1 << 20;

export function attachWebSocketEndpoint(
  server: Server,
  // biome-ignore lint/suspicious/noExplicitAny: any yoga instance, whatever its contexts.
  yoga: YogaServerInstance<any, any>,
  path: string,
  options: WebSocketOptions,
): WebSocketEndpoint {
  // A larger message makes ws close the socket with 1009 (message too big).
  const wsServer = new WebSocketServer({ server, path, maxPayload: options.limits.maxMessageBytes });
  /** Open subscriptions per socket. */
  const open = new WeakMap<object, Set<string>>();
  const graphqlWs = makeServer<Record<string, unknown> | undefined, SocketExtra>({
    connectionInitWaitTimeout: options.limits.connectionInitTimeoutMs,
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    onSubscribe: async (ctx, id, payload) => {
      const query = options.documentFor ? options.documentFor(payload) : payload.query;
      if (query instanceof GraphQLError) return [query];
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params: { ...payload, query },
      });
      let contextValue: unknown;
      try {
        // Building the context counts the operation against the rate limit (request-guards.ts).
        contextValue = await contextFactory();
      } catch (error) {
        if (!(error instanceof GraphQLError) || error.extensions.code !== 'RATE_LIMITED') throw error;
        ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, error.message);
        return [error];
      }
      const ids = open.get(ctx.extra.socket) ?? new Set<string>();
      open.set(ctx.extra.socket, ids);
      if (ids.size >= options.limits.maxSubscriptionsPerConnection) {
        return [
          new GraphQLError(
            `At most ${options.limits.maxSubscriptionsPerConnection} operations may be open per connection.`,
            {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            },
          ),
        ];
      }
      let document: ReturnType<typeof parse>;
      try {
        document = parse(query);
      } catch (error) {
        // Syntax errors and the document limits (size, tokens): answer them, do not drop the socket.
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
      ids.add(id);
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue,
        rootValue: { execute, subscribe } satisfies EnvelopedRoot,
      };
    },
    onComplete: (ctx, id) => {
      open.get(ctx.extra.socket)?.delete(id);
    },
    onNext: (_ctx, _id, _payload, _args, result) => withoutHttpParts(result),
    onError: (ctx, id, _payload, errors) => {
      open.get(ctx.extra.socket)?.delete(id);
      return errors.some(hasHttpPart) ? errors.map(withoutHttpPart) : undefined;
    },
  });
  serveOverWs(wsServer, graphqlWs, options.log ?? ((message) => console.error(message)));

  return {
    connectionCount: () => wsServer.clients.size,
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

type WithExtensions = { extensions?: { [key: string]: unknown } };

function hasHttpPart(item: WithExtensions): boolean {
  return item.extensions !== undefined && 'http' in item.extensions;
}

/** An item without `extensions.http` (a status code, response headers: HTTP's, meaningless over a socket). */
function withoutHttpPart<T extends WithExtensions>(item: T): T {
  if (!hasHttpPart(item)) return item;
  // A GraphQLError's message and locations are not its own enumerable properties: copy its JSON form.
  const plain = (item instanceof GraphQLError ? item.toJSON() : item) as T;
  const { http: _http, ...extensions } = plain.extensions!;
  return { ...plain, extensions: Object.keys(extensions).length > 0 ? extensions : undefined };
}

/** The result without HTTP's parts, or undefined when it has none (graphql-ws then sends it as it is). */
function withoutHttpParts(result: FormattedExecutionResult): FormattedExecutionResult | undefined {
  if (!hasHttpPart(result) && !result.errors?.some(hasHttpPart)) return undefined;
  return { ...withoutHttpPart(result), ...(result.errors && { errors: result.errors.map(withoutHttpPart) }) };
}

/** What sending needs of a `ws` socket. */
interface SendingSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: string, callback?: (error?: Error) => void): void;
}

/**
 * Sends at once while the socket keeps up; once it holds SEND_HIGH_WATER_BYTES unsent,
 * the returned promise settles only when this message has been written, and graphql-ws
 * waits for it before taking the subscription's next result.
 */
export function sendRespectingBackpressure(socket: SendingSocket, data: string): Promise<void> | undefined {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount < SEND_HIGH_WATER_BYTES) {
    socket.send(data);
    return;
  }
  return new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
}

/**
 * Connects graphql-ws's protocol to `ws` sockets. graphql-ws ships this as `useServer`;
 * ours differs in how it sends: it does not wait for each message to reach the kernel
 * unless the socket is backed up (SEND_HIGH_WATER_BYTES), and it never puts an
 * internal error message in a close reason.
 */
function serveOverWs(
  wsServer: WebSocketServer,
  graphqlWs: GraphqlWsServer<SocketExtra>,
  log: (message: string) => void,
): void {
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.once('error', (error) => {
    log(`websocket server error: ${error.message}`);
    for (const socket of wsServer.clients) socket.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wsServer.on('connection', (socket, request) => {
    const failed = (error: unknown) => {
      log(`websocket error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    };
    socket.once('error', failed);
    let pongDeadline: NodeJS.Timeout | null = null;
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongDeadline = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongDeadline) clearTimeout(pongDeadline);
        pongDeadline = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) => sendRespectingBackpressure(socket, data),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              failed(error);
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      if (pongDeadline) clearTimeout(pongDeadline);
      void closed(code, String(reason));
    });
  });
}
