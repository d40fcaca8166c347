// GraphQL over WebSocket (graphql-ws, protocol graphql-transport-ws) on the same path
// as HTTP. Every operation goes through `yoga.getEnveloped`, so it gets the same
// plugins, context and error masking as an HTTP request.

import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface WebSocketEndpoint {
  /** Closes every socket with 1001 "Going away" (clients reconnect, perhaps elsewhere) and stops accepting. */
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any yoga instance, whatever its contexts.
export function attachWebSocketEndpoint(server: Server, yoga: YogaServerInstance<any, any>, path: string): WebSocketEndpoint {
  const wsServer = new WebSocketServer({ server, path });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
    },
    wsServer,
  );

  return { close: async () => disposable.dispose() };
}
