// The Pothos schema builder: plugins, the request context, auth scopes and the root types.
// Configuration only; types and fields live in one file each beside this one.

import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLField, getNullableType, isListType } from 'graphql';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import ArgumentChecksPlugin from './argument-checks.ts';
import type { Context } from './context.ts';
import { BOUNDS, bounded, countListItems, DEFAULT_PAGE_SIZE } from './input-bounds.ts';

export type { Context };

/** Multiplier for lists without a size argument (categories, aliases, shared actors...). */
const UNSIZED_LIST_MULTIPLIER = 10;

/**
 * The cost of a field: 1 plus every item of the lists among its arguments, plus its
 * sub-selections times how many items it can return: `first`/`last` for pages (the
 * default page size when absent), the number of ids for `nodes`, 10 for other lists. A
 * connection's `edges` do not multiply again. A field whose arguments are refused is
 * costed with the defaults (see argument-checks.ts), since it runs nothing.
 */
function fieldCost(args: Record<string, unknown>, _context: Context, field: GraphQLField<unknown, Context>) {
  if (field.name === 'edges') return { field: 1, multiplier: 1 };
  const cost = 1 + countListItems(args);
  const size = args.first ?? args.last;
  if (typeof size === 'number') return { field: cost, multiplier: Math.max(size, 0) };
  if (field.args.some((arg) => arg.name === 'first')) return { field: cost, multiplier: DEFAULT_PAGE_SIZE };
  if (Array.isArray(args.ids)) return { field: cost, multiplier: args.ids.length };
  return { field: cost, multiplier: isListType(getNullableType(field.type)) ? UNSIZED_LIST_MULTIPLIER : 1 };
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
  plugins: [ArgumentChecksPlugin, ScopeAuthPlugin, ComplexityPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
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
    clientMutationId: 'omit',
    cursorType: 'String',
    // node and nodes are ours (node.ts): they refuse an id this API did not issue at
    // their own field (or list entry), where the plugin's would fail every root field.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: {
      description: 'An object with a global id: any of them can be fetched again with `node` or `nodes`.',
    },
    idFieldOptions: {
      description: 'Global id: opaque and stable. Pass it to `node(id:)` or `nodes(ids:)` to fetch the object again.',
    },
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: 'The items of this page, in the order of the list, each with its cursor.',
    },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: {
      description: 'Opaque position of this item in its list: pass it as `after` or `before` to page on from here.',
    },
    pageInfoFieldOptions: { description: 'Whether more items lie beyond this page, and the cursors to page on with.' },
    pageInfoTypeOptions: { description: 'Where a page lies in its list (Relay cursor connections).' },
    hasNextPageFieldOptions: {
      description:
        'Paging forward (`first`/`after`): whether items follow this page. Paging backward: whether `before` was given.',
    },
    hasPreviousPageFieldOptions: {
      description:
        'Paging backward (`last`/`before`): whether items precede this page. Paging forward: whether `after` was given.',
    },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null when the page is empty.' },
    firstArgOptions: bounded(
      BOUNDS.pageSize,
      `How many items to return from the start of the list (or after \`after\`); ${DEFAULT_PAGE_SIZE} when neither \`first\` nor \`last\` is given. Not with \`last\`.`,
    ),
    lastArgOptions: bounded(
      BOUNDS.pageSize,
      'How many items to return from the end of the list (or before `before`), in the order of the list. Not with `first`.',
    ),
    afterArgOptions: bounded(
      BOUNDS.cursor,
      'Return the items after this cursor: an `endCursor` or edge `cursor` this same list issued. Not with `before`.',
    ),
    beforeArgOptions: bounded(
      BOUNDS.cursor,
      'Return the items before this cursor: a `startCursor` or edge `cursor` this same list issued. Not with `after`.',
    ),
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

builder.queryType({
  description: 'Reading the archive: articles, search, actors, categories, trend items, and any object by global id.',
});
builder.mutationType({ description: 'Writing to the archive. Needs a token with the editor scope.' });
builder.subscriptionType({
  description: 'Live updates, over WebSocket (graphql-transport-ws) or Server-Sent Events at the same endpoint.',
});
