// Error masking with request ids. Every operation gets an id (also sent to HTTP clients
// as the X-Request-Id header). In production an unexpected error reaches the client as
// "Unexpected error." with code INTERNAL_SERVER_ERROR and the request id, never a stack,
// SQL or internal message; the server log has the whole error under the same id.
// Errors we raise on purpose (GraphQLErrors with a code) pass through unchanged.
//
// A database server that cannot be reached is not an unexpected error: the client gets
// code SERVICE_UNAVAILABLE ("retry later"), over HTTP with status 503 and Retry-After.

import { randomUUID } from 'node:crypto';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

/** What an unavailable database tells clients to wait before retrying, in seconds. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

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

function unavailableError(error: GraphQLError, requestId: string | undefined): GraphQLError {
  return new GraphQLError(`The archive's database is unavailable; retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s.`, {
    path: error.path,
    nodes: error.nodes,
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      requestId,
      http: { status: 503, headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
    },
  });
}

/**
 * Yoga adds the parser's own message to some request errors (invalid JSON); production
 * keeps it out of the answer. Yoga also reads its presence as "answer with the error's
 * HTTP status, not 200", so the status is made explicit instead.
 */
function withoutOriginalError(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => error.extensions?.originalError !== undefined)) return result;
  const errors = result.errors.map((error) => {
    if (error.extensions?.originalError === undefined) return error;
    const {
      originalError: _hidden,
      http,
      ...extensions
    } = error.extensions as Record<string, unknown> & {
      http?: { status?: number; headers?: Record<string, string> };
    };
    const status = http ? { http: { status: http.status, headers: http.headers } } : {};
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { ...extensions, ...status },
    });
  });
  return { ...result, errors };
}

export function useRequestIdsAndMasking(options: {
  production: boolean;
  log: (message: string) => void;
}): Plugin<{ requestId?: string }> {
  const mask = (result: ExecutionResult, requestId: string | undefined): ExecutionResult => {
    if (!result.errors?.length || result.errors.every(isIntended)) return result;
    const errors = result.errors.map((error) => {
      if (isIntended(error)) return error;
      if (isDatabaseUnavailable(error.originalError)) {
        options.log(`request ${requestId ?? '-'}: database unavailable: ${error.originalError?.message.trim()}`);
        return unavailableError(error, requestId);
      }
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
    onResultProcess({ result, setResult }) {
      if (options.production && !Array.isArray(result) && 'errors' in result) setResult(withoutOriginalError(result));
    },
    onResponse({ request, response }) {
      // Every GraphQL response names its request, cached answers included.
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };
}
