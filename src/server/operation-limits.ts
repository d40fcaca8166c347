// Limits on the operation itself, for HTTP and WebSocket alike (both run through yoga's
// envelop): depth, aliases, directives and tokens from graphql-armor, the size of the
// document, field suggestions hidden in production, and an execution timeout. The cost
// limit lives in the schema (Pothos complexity, see schema/builder.ts) because it needs
// the `first`/`last` arguments.

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DeadlineExceededError } from '../db/deadline.ts';
import type { Limits } from './limits.ts';

function limitError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Refuses a document larger than the limit before it is parsed. */
function useDocumentSizeLimit(maxDocumentBytes: number): Plugin {
  return {
    onParams({ params }) {
      const bytes = typeof params.query === 'string' ? Buffer.byteLength(params.query, 'utf8') : 0;
      if (bytes > maxDocumentBytes) {
        throw limitError(
          `The GraphQL document is ${bytes} bytes; the limit is ${maxDocumentBytes}.`,
          'DOCUMENT_TOO_LARGE',
          {
            http: { status: 413 },
          },
        );
      }
    },
  };
}

/** How long a mutation may take, after its deadline, to finish being cancelled before its outcome is called unknown. */
const MUTATION_SETTLE_MS = 5_000;

/**
 * Answers TIMEOUT when a query or mutation runs longer than the limit. A query is
 * abandoned at once (it changes nothing). A mutation is cancelled: its deadline is in
 * the context (`deadline`), the ingest rolls back when it passes, and the answer waits
 * for that, so it is true: TIMEOUT with outcome CANCELLED when nothing was stored, the
 * mutation's own result when it committed just in time, or TIMEOUT with outcome UNKNOWN
 * should it not settle within MUTATION_SETTLE_MS.
 */
function useExecutionTimeout(timeoutMs: number): Plugin {
  const timeoutError = (message: string, outcome?: 'CANCELLED' | 'UNKNOWN'): ExecutionResult => ({
    errors: [limitError(message, 'TIMEOUT', outcome ? { outcome } : {})],
  });
  const cancelledOr = (result: ExecutionResult): ExecutionResult =>
    result.errors?.some((error) => error.originalError instanceof DeadlineExceededError)
      ? timeoutError(
          `The operation took longer than ${timeoutMs} ms and was cancelled; nothing was stored.`,
          'CANCELLED',
        )
      : result;
  /** The execution's result, or null if `ms` pass first. */
  const within = async (execution: Promise<ExecutionResult>, ms: number): Promise<ExecutionResult | null> => {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<null>((resolve) => (timer = setTimeout(resolve, ms, null)));
    try {
      return await Promise.race([execution, expiry]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        (args.contextValue as { deadline?: number }).deadline = Date.now() + timeoutMs;
        const mutation = getOperationAST(args.document, args.operationName)?.operation === 'mutation';
        const execution = Promise.resolve(executeFn(args)) as Promise<ExecutionResult>;
        const first = await within(execution, timeoutMs);
        if (first) return cancelledOr(first);
        if (!mutation) return timeoutError(`The operation took longer than ${timeoutMs} ms and was abandoned.`);
        const settled = await within(execution, MUTATION_SETTLE_MS);
        if (settled) return cancelledOr(settled);
        return timeoutError(
          `The operation took longer than ${timeoutMs} ms and could not be cancelled in time; its outcome is unknown.`,
          'UNKNOWN',
        );
      });
    },
  };
}

export function operationLimitPlugins(limits: Limits, production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    maxTokens: { n: limits.maxTokens, exposeLimits: true },
    // Our cost limit counts `first`/`last`; armor's would not.
    costLimit: { enabled: false },
    // "Did you mean …?" helps a developer and maps the schema for an attacker.
    blockFieldSuggestion: { enabled: production },
  });
  return [
    useDocumentSizeLimit(limits.maxDocumentBytes),
    ...(armor.protect().plugins as Plugin[]),
    useExecutionTimeout(limits.executionTimeoutMs),
  ];
}
