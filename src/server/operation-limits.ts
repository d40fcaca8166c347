// Limits on the operation itself, for HTTP and WebSocket alike (both run through yoga's
// envelop): depth, aliases, directives and tokens from graphql-armor, the size of the
// document, field suggestions hidden in production, and an execution timeout. The cost
// limit lives in the schema (Pothos complexity, see schema/builder.ts) because it needs
// the `first`/`last` arguments.

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
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

/** Answers with an error when a query or mutation runs longer than the limit. */
function useExecutionTimeout(timeoutMs: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(limitError(`The operation took longer than ${timeoutMs} ms and was abandoned.`, 'TIMEOUT')),
            timeoutMs,
          );
        });
        return Promise.race([executeFn(args), timeout])
          .catch((error: unknown) => {
            if (error instanceof GraphQLError && error.extensions.code === 'TIMEOUT') return { errors: [error] };
            throw error;
          })
          .finally(() => clearTimeout(timer)) as ReturnType<typeof executeFn>;
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
