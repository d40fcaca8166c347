// GraphQL over WebSocket (graphql-ws, protocol graphql-transport-ws) on the same path
// as HTTP. Every operation goes through `yoga.getEnveloped`, so it gets the same
// plugins, context, limits and error masking as an HTTP request. On top: the rate limit
// per client address (close 4429), at most N subscriptions per connection, a deadline
// for connection_init, and a maximum message size. Duplicate subscription ids are
// refused by graphql-ws itself (close 4409).

import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Limits } from './limits.ts';
import { clientAddressOf, type RateLimiter } from './request-guards.ts';

/** Close code for a client over its rate limit (graphql-ws leaves 4400-4499 to servers). */
export const TOO_MANY_REQUESTS = 4429;

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 "Going away" (clients reconnect, perhaps elsewhere) and stops accepting. */
  close(): Promise<void>;
}

export interface WebSocketOptions {
  limits: Pick<Limits, 'connectionInitTimeoutMs' | 'maxSubscriptionsPerConnection' | 'maxMessageBytes' | 'maxDocumentBytes'>;
  rateLimiter: RateLimiter;
  trustProxy: boolean;
}

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
  const disposable = useServer(
    {
      connectionInitWaitTimeout: options.limits.connectionInitTimeoutMs,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, id, payload) => {
        const verdict = await options.rateLimiter.consume(clientAddressOf(ctx.extra.request, options.trustProxy));
        if (!verdict.allowed) {
          ctx.extra.socket.close(TOO_MANY_REQUESTS, `Too many requests; retry after ${verdict.retryAfterSeconds} s`);
          return [new GraphQLError('Too many requests.', { extensions: { code: 'RATE_LIMITED' } })];
        }
        const ids = open.get(ctx.extra.socket) ?? new Set<string>();
        open.set(ctx.extra.socket, ids);
        if (ids.size >= options.limits.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`At most ${options.limits.maxSubscriptionsPerConnection} operations may be open per connection.`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const bytes = Buffer.byteLength(payload.query, 'utf8');
        if (bytes > options.limits.maxDocumentBytes) {
          return [
            new GraphQLError(`The GraphQL document is ${bytes} bytes; the limit is ${options.limits.maxDocumentBytes}.`, {
              extensions: { code: 'DOCUMENT_TOO_LARGE' },
            }),
          ];
        }
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          // Syntax errors and armor's token limit: answer them, do not drop the socket.
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
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
      onComplete: (ctx, id) => {
        open.get(ctx.extra.socket)?.delete(id);
      },
      onError: (ctx, id) => {
        open.get(ctx.extra.socket)?.delete(id);
      },
    },
    wsServer,
  );

  return { close: async () => disposable.dispose() };
}
