// Structured logs: JSON lines through pino, one line per GraphQL operation (request id,
// operation name and type, duration, error codes), the level from LOG_LEVEL.
//
// What a line may hold is decided here and nowhere else: never headers, variables,
// documents or results, so no token, secret or page text (which arrives as a variable of
// the ingest mutation) can reach the log. The redaction list below is a second net for
// objects someone logs later by mistake.

import { type DocumentNode, type GraphQLError, getOperationAST, type OperationTypeNode, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type Logger, pino } from 'pino';
import type { OperationsConfig } from '../config.ts';
import { requestIdOf } from './errors.ts';

export type { Logger };

type LogLevel = OperationsConfig['logLevel'];

/** Keys whose values never reach a line, wherever they sit in a logged object. */
const REDACTED = [
  'authorization',
  'token',
  'variables',
  'text',
  'query',
  '*.authorization',
  '*.token',
  '*.variables',
  '*.text',
  '*.query',
  '*.headers',
  'headers',
];

/** A JSON logger on stdout (pino's default), or on `destination` (tests collect lines). */
export function createLogger(level: LogLevel, destination?: { write(line: string): void }): Logger {
  const options = { level, base: undefined, redact: { paths: REDACTED, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

interface OperationOfDocument {
  operationName: string | null;
  operationType: OperationTypeNode | null;
}

/** Operation name and type of a document text; memoised, since the same few documents come again and again. */
const operationsByText = new Map<string, OperationOfDocument>();
const OPERATIONS_REMEMBERED = 1_000;

function operationOfText(text: string, operationName: string | null): OperationOfDocument {
  const key = `${operationName ?? ''}\n${text}`;
  let found = operationsByText.get(key);
  if (!found) {
    let document: DocumentNode | null = null;
    try {
      document = parse(text, { noLocation: true });
    } catch {
      // A syntax error is reported to the client; the line names no operation.
    }
    found = operationOfDocument(document, operationName);
    if (operationsByText.size >= OPERATIONS_REMEMBERED) operationsByText.delete(operationsByText.keys().next().value!);
    operationsByText.set(key, found);
  }
  return found;
}

function operationOfDocument(document: DocumentNode | null, operationName: string | null): OperationOfDocument {
  const operation = document ? getOperationAST(document, operationName) : null;
  return {
    operationName: operationName ?? operation?.name?.value ?? null,
    operationType: operation?.operation ?? null,
  };
}

/** The codes of a result's errors (INTERNAL_SERVER_ERROR when an error has none), without their messages. */
function errorCodesOf(errors: readonly GraphQLError[] | undefined): string[] {
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

export interface OperationLine extends OperationOfDocument {
  requestId: string;
  transport: 'http' | 'websocket';
  durationMs: number;
  errorCodes: string[];
  /** Answered from the response cache, without executing. */
  cached?: boolean;
}

function logOperation(logger: Logger, line: OperationLine, answered: (line: OperationLine) => void): void {
  answered(line);
  const level = line.errorCodes.includes('INTERNAL_SERVER_ERROR') ? 'error' : 'info';
  logger[level]({ ...line, durationMs: Math.round(line.durationMs * 100) / 100 }, 'graphql operation');
}

/** How @graphql-yoga/plugin-response-cache marks the results it served. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

type HttpResult = { errors?: readonly GraphQLError[] } | AsyncIterable<unknown> | readonly unknown[];

function isSingleResult(result: HttpResult): result is { errors?: readonly GraphQLError[] } {
  return !Array.isArray(result) && !(Symbol.asyncIterator in (result as object));
}

/**
 * One line per operation. Over HTTP the line is written when the result is ready (for a
 * subscription: when its stream opens), so it also covers operations refused before
 * execution and answers served from the response cache; over WebSocket, when the
 * execution ends (or the subscription starts).
 */
export function useOperationLog(
  logger: Logger,
  /** Every line, for metrics. */
  answered: (line: OperationLine) => void = () => {},
): Plugin<{ requestId?: string }> {
  const startedAt = new WeakMap<Request, number>();
  const paramsOf = new WeakMap<Request, { query?: string; operationName?: string }>();
  const executedDocuments = new WeakMap<Request, DocumentNode>();
  const logWebSocket = (
    args: { document: DocumentNode; operationName?: string | null; contextValue: unknown },
    since: number,
    errors: readonly GraphQLError[] | undefined,
  ) =>
    logOperation(
      logger,
      {
        requestId: (args.contextValue as { requestId?: string }).requestId ?? '-',
        transport: 'websocket',
        ...operationOfDocument(args.document, args.operationName ?? null),
        durationMs: performance.now() - since,
        errorCodes: errorCodesOf(errors),
      },
      answered,
    );
  return {
    onRequest({ request }) {
      startedAt.set(request, performance.now());
    },
    onParams({ request, params }) {
      paramsOf.set(request, params);
    },
    onExecute({ args }) {
      const { request } = args.contextValue as { request?: Request };
      if (request) {
        executedDocuments.set(request, args.document);
        return;
      }
      const since = performance.now();
      return {
        onExecuteDone: ({ result }) => {
          if (Symbol.asyncIterator in result) return;
          logWebSocket(args, since, result.errors);
        },
      };
    },
    onSubscribe({ args }) {
      const { request } = args.contextValue as { request?: Request };
      if (request) {
        executedDocuments.set(request, args.document);
        return;
      }
      const since = performance.now();
      return {
        onSubscribeResult: ({ result }) => {
          logWebSocket(args, since, Symbol.asyncIterator in result ? undefined : result.errors);
        },
        onSubscribeError: () => logWebSocket(args, since, undefined),
      };
    },
    onResultProcess({ request, result }) {
      const params = paramsOf.get(request);
      if (!params) return; // not a GraphQL request (GraphiQL's page, health checks)
      const executed = executedDocuments.get(request);
      const operation = executed
        ? operationOfDocument(executed, params.operationName ?? null)
        : typeof params.query === 'string'
          ? operationOfText(params.query, params.operationName ?? null)
          : { operationName: params.operationName ?? null, operationType: null };
      const single = isSingleResult(result as HttpResult) ? (result as { errors?: readonly GraphQLError[] }) : null;
      logOperation(
        logger,
        {
          requestId: requestIdOf(request),
          transport: 'http',
          ...operation,
          durationMs: performance.now() - (startedAt.get(request) ?? performance.now()),
          errorCodes: errorCodesOf(single?.errors),
          ...(single && SERVED_FROM_CACHE in single ? { cached: true } : {}),
        },
        answered,
      );
    },
  };
}
