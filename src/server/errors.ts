// Error masking with request ids. Every operation gets an id (also sent to HTTP clients
// as the X-Request-Id header). In production an unexpected error reaches the client as
// "Unexpected error." with code INTERNAL_SERVER_ERROR and the request id, never a stack,
// SQL or internal message; the server log has the whole error under the same id.
// Errors we raise on purpose (GraphQLErrors with a code) pass through unchanged.

import { randomUUID } from 'node:crypto';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';

const requestIds = new WeakMap<Request, string>();

/**
 * The id of an HTTP request (made on first use, then remembered for the response header
 * and the log line), or a new one for a WebSocket operation.
 */
export function requestIdOf(request: Request | undefined): string {
  let id = request && requestIds.get(request);
  if (!id) {
    id = randomUUID();
    if (request) requestIds.set(request, id);
  }
  return id;
}

function isIntended(error: GraphQLError): boolean {
  return error.originalError === undefined || error.originalError instanceof GraphQLError;
}

export function useRequestIdsAndMasking(options: {
  production: boolean;
  log: (message: string) => void;
}): Plugin<{ requestId?: string }> {
  const mask = (result: ExecutionResult, requestId: string | undefined): ExecutionResult => {
    if (!result.errors?.length || result.errors.every(isIntended)) return result;
    const errors = result.errors.map((error) => {
      if (isIntended(error)) return error;
      const detail = error.originalError?.stack ?? error.originalError?.message ?? error.message;
      options.log(
        `request ${requestId ?? '-'}: unexpected error at ${error.path?.join('.') ?? '(operation)'}: ${detail}`,
      );
      if (!options.production) return error;
      return new GraphQLError('Unexpected error.', {
        path: error.path,
        nodes: error.nodes,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      });
    });
    return { ...result, errors };
  };
  return {
    onExecute: () => ({
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) =>
          setResult(mask(result, (payload.args.contextValue as { requestId?: string }).requestId)),
        ),
    }),
    onSubscribe: () => ({
      onSubscribeResult: (payload) =>
        handleStreamOrSingleExecutionResult(payload as never, ({ result, setResult }) =>
          setResult(mask(result, (payload.args.contextValue as { requestId?: string }).requestId)),
        ),
    }),
    onResponse({ request, response }) {
      // Every GraphQL response names its request, cached answers included.
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };
}
