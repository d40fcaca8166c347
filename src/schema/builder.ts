// The Pothos schema builder: plugins, scalars, the request context and auth scopes.
// Configuration only; types and fields live in one file each beside this one.

import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLField, getNullableType, isListType, Kind } from 'graphql';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Context } from './context.ts';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';

export type { Context };

/** Multiplier for lists without a size argument (categories, aliases, shared actors...). */
const UNSIZED_LIST_MULTIPLIER = 10;

/**
 * The cost of a field: 1, plus its sub-selections times how many items it can return:
 * `first`/`last` for pages (the default page size when absent), the number of ids for
 * `nodes`, 10 for other lists. A connection's `edges` do not multiply again.
 */
function fieldCost(args: Record<string, unknown>, _context: Context, field: GraphQLField<unknown, Context>) {
  if (field.name === 'edges') return { field: 1, multiplier: 1 };
  const size = args.first ?? args.last;
  if (typeof size === 'number') return { field: 1, multiplier: Math.max(size, 0) };
  if (field.args.some((arg) => arg.name === 'first')) return { field: 1, multiplier: DEFAULT_PAGE_SIZE };
  if (Array.isArray(args.ids)) return { field: 1, multiplier: args.ids.length };
  return { field: 1, multiplier: isListType(getNullableType(field.type)) ? UNSIZED_LIST_MULTIPLIER : 1 };
}

/** The types with global ids; every one is keyed by an integer. */
const NODE_TYPES = new Set(['Article', 'Actor', 'Category', 'RelatedLink', 'TrendItem', 'Webhook']);

/** Decodes "base64(Type:123)", refusing anything else as the client's mistake. */
function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9+/_-]+={0,2}$/.test(globalID) ? Buffer.from(globalID, 'base64').toString('utf8') : '';
  const match = /^([A-Za-z]+):(\d{1,15})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1]!)) {
    throw new GraphQLError(`"${globalID.slice(0, 100)}" is not an id this API issued.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return { typename: match[1]!, id: match[2]! };
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: Context;
  AuthScopes: { editor: boolean };
  // DateTime output: a Date, or an ISO-8601 string in UTC as the article reader has
  // PostgreSQL write it (the same text toISOString gives).
  Scalars: { DateTime: { Input: Date; Output: Date | string }; ID: { Input: string; Output: string | number } };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  complexity: {
    fieldComplexity: fieldCost,
    limit: (context) => ({ complexity: context.maxCost }),
    complexityError: (_kind, { complexity, maxComplexity }) =>
      new GraphQLError(
        `Operation cost ${complexity} exceeds the limit of ${maxComplexity}; ask for smaller pages (first/last).`,
        {
          extensions: { code: 'COST_LIMIT_EXCEEDED', cost: complexity, maxCost: maxComplexity },
        },
      ),
  },
  prisma: {
    // The client comes from the request context, so tests and servers choose their database.
    client: (context) => context.prisma as PrismaClient,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    decodeGlobalID,
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    nodesQueryOptions: { nullable: { list: false, items: true } },
  },
  scopeAuth: {
    authScopes: async (context) => ({
      editor: async () => (await context.viewer())?.scopes.includes('editor') ?? false,
    }),
    // Runs after the scope check, which has already resolved the viewer.
    unauthorizedError: (_parent, context) =>
      context.resolvedViewer()
        ? new GraphQLError('This token lacks the "editor" scope.', { extensions: { code: 'FORBIDDEN' } })
        : new GraphQLError('A valid API token is required: send "Authorization: Bearer <token>".', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}(T|$)/.test(value as string)) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 string such as "2017-05-15T08:57:00Z"; got ${JSON.stringify(value)}`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, e.g. "2017-05-15T08:57:00.000Z".',
  serialize: (value) => (typeof value === 'string' ? value : (value as Date).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
