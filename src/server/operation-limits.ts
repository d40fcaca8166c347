// Limits on the operation itself, for HTTP, WebSocket and SSE alike (all run through
// yoga's envelop): depth, aliases (`__typename` included), directives and tokens from
// graphql-armor, the size of the document, the shape of introspection queries, field
// suggestions hidden in production, and an execution timeout. The cost limit lives in the
// schema (Pothos complexity, see schema/builder.ts) because it needs the `first`/`last`
// arguments.

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import {
  type ASTVisitor,
  type ExecutionResult,
  type FragmentDefinitionNode,
  GraphQLError,
  getOperationAST,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DeadlineExceededError } from '../db/deadline.ts';
import type { Limits } from './limits.ts';

function limitError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Refuses a document larger than the limit before it is parsed, whatever the transport. */
function useDocumentSizeLimit(maxDocumentBytes: number): Plugin {
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      const bytes = Buffer.byteLength(source, 'utf8');
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

/**
 * Introspection is on (GraphiQL and client tooling need it) and kept to the shape of the
 * standard introspection query: one `__schema` per operation, and at most three lists
 * nested on any path (`__schema.types.fields.args`). Its selections on singular fields
 * (`ofType`) may nest deeply, which costs nothing; nested lists are what multiply
 * (`types { interfaces { possibleTypes { interfaces { … } } } }` grows by the number of
 * types at each level), and the depth limit does not apply to introspection.
 */
const INTROSPECTION_LIST_FIELDS = new Set([
  'types',
  'directives',
  'fields',
  'args',
  'inputFields',
  'enumValues',
  'interfaces',
  'possibleTypes',
]);
const MAX_INTROSPECTION_LISTS = 3;

function introspectionShapeRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  /** The deepest list nesting under `set` and its `__schema` fields, fragments followed once per path. */
  const measure = (
    set: SelectionSetNode,
    inIntrospection: boolean,
    lists: number,
    seen: ReadonlySet<string>,
  ): { lists: number; schemas: number } => {
    let deepest = lists;
    let schemas = 0;
    for (const selection of set.selections) {
      let child: { lists: number; schemas: number } | null = null;
      if (selection.kind === 'Field') {
        const name = selection.name.value;
        const entering = inIntrospection || name === '__schema' || name === '__type';
        if (name === '__schema') schemas++;
        const nested = entering && INTROSPECTION_LIST_FIELDS.has(name) ? lists + 1 : lists;
        deepest = Math.max(deepest, nested);
        if (selection.selectionSet) child = measure(selection.selectionSet, entering, nested, seen);
      } else if (selection.kind === 'InlineFragment') {
        child = measure(selection.selectionSet, inIntrospection, lists, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          child = measure(fragment.selectionSet, inIntrospection, lists, new Set([...seen, fragment.name.value]));
        }
      }
      if (child) {
        deepest = Math.max(deepest, child.lists);
        schemas += child.schemas;
      }
    }
    return { lists: deepest, schemas };
  };
  return {
    OperationDefinition(operation) {
      const { lists, schemas } = measure(operation.selectionSet, false, 0, new Set());
      if (schemas > 1) {
        context.reportError(
          limitError(`An operation may ask for __schema once; this one asks ${schemas} times.`, 'INTROSPECTION_LIMIT'),
        );
      }
      if (lists > MAX_INTROSPECTION_LISTS) {
        context.reportError(
          limitError(
            `Introspection may nest at most ${MAX_INTROSPECTION_LISTS} lists (as in __schema.types.fields.args); this operation nests ${lists}.`,
            'INTROSPECTION_LIMIT',
          ),
        );
      }
    },
  };
}

function useIntrospectionLimits(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(introspectionShapeRule);
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

/**
 * Gives a limit's refusal a code of its own, so a client (and the operation log) can tell
 * it from a server fault: armor's errors come with a message only, which calls the
 * refusal a syntax error. Its rejection callback is handed the error before it is reported.
 */
function coded(code: string) {
  return {
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        (error.extensions as Record<string, unknown>).code = code;
        // Armor calls every refusal a "Syntax Error"; the document's syntax is fine.
        error.message = error.message.replace(/^Syntax Error: /, '');
      },
    ],
  };
}

export function operationLimitPlugins(limits: Limits, production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, exposeLimits: true, ...coded('DEPTH_LIMIT_EXCEEDED') },
    // `__typename` counts too: armor leaves it out by default, and each alias is a result entry.
    maxAliases: { n: limits.maxAliases, allowList: [], exposeLimits: true, ...coded('ALIAS_LIMIT_EXCEEDED') },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true, ...coded('DIRECTIVE_LIMIT_EXCEEDED') },
    maxTokens: { n: limits.maxTokens, exposeLimits: true, ...coded('TOKEN_LIMIT_EXCEEDED') },
    // Our cost limit counts `first`/`last`; armor's would not.
    costLimit: { enabled: false },
    // "Did you mean …?" helps a developer and maps the schema for an attacker.
    blockFieldSuggestion: { enabled: production },
  });
  return [
    useDocumentSizeLimit(limits.maxDocumentBytes),
    ...(armor.protect().plugins as Plugin[]),
    useIntrospectionLimits(),
    useExecutionTimeout(limits.executionTimeoutMs),
  ];
}
