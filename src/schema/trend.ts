// Trend items: articles as they were first published in full, newest first, and the
// trendPublished subscription that pushes new ones (resumable from a cursor).

import { queryFromInfo } from '@pothos/plugin-prisma';
import { countTrendItems, unknownTrendFilterSlugs } from '../archive/trend-queries.ts';
import { trendCursor } from '../feed/trend-cursor.ts';
import { type TrendFilter, trendWhere } from '../feed/trend-hub.ts';
import type { TrendEvent } from '../generated/prisma/client.ts';
import { Article } from './article.ts';
import { articleShapeAt } from './article-shape.ts';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';
import { alwaysExactCount, badInput, decodeCursor, pageWindow, toConnection } from './pagination.ts';

function trendSequenceOf(cursor: string): number {
  return decodeCursor('trend', cursor, ['key'])[0] as number;
}

const TrendItem = builder.prismaNode('TrendEvent', {
  name: 'TrendItem',
  description:
    'An article of the live feed: published once, when the archive first holds it in full (an article known only from an excerpt becomes an item when its own page arrives).',
  id: { field: 'sequence' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` to `trendPublished` (or `trends`) to resume the feed after this item.',
      resolve: (event) => trendCursor(event.sequence),
    }),
    sequence: t.exposeInt('sequence', {
      description:
        'Position in the feed: 1 for the first item, then one more for each, with no holes. A client that sees a jump has missed items and can fetch them with `trendPublished(after:)`.',
    }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      description:
        'When the item entered the feed (when its article was stored in full), not when the article was written.',
    }),
    article: t.field({
      type: Article,
      description: 'The article, always in full (never a stub).',
      resolve: async (event, _args, context, info) =>
        (await context.loaders.articlesById(articleShapeAt(info, [])).load(event.articleId))!,
    }),
  }),
});

const categoryArg = bounded(BOUNDS.slug, 'Only items whose article is in this category (its slug, e.g. "security").');
const actorArg = bounded(
  BOUNDS.slug,
  'Only items whose article names this actor (its slug or an alias slug, e.g. "makei").',
);

/** What a TrendItemConnection holds besides its page: the filter its totalCount counts. */
interface TrendListScope {
  filter: TrendFilter;
}

builder.queryFields((t) => ({
  trends: t.connection(
    {
      type: TrendItem,
      description:
        'Trend items already published, newest first (highest `sequence` first). A category or actor slug that names nothing gives an empty list, not an error.',
      args: {
        category: t.arg.string(categoryArg),
        actor: t.arg.string(actorArg),
      },
      resolve: async (_root, args, context, info) => {
        const window = pageWindow(args, trendSequenceOf);
        const newestFirst = !window.backward;
        const filter: TrendFilter = { category: args.category, actor: args.actor };
        const rows = await context.prisma.trendEvent.findMany({
          ...queryFromInfo({ context, info, typeName: 'TrendItem', path: ['edges', 'node'] }),
          where: {
            ...trendWhere(filter),
            ...(window.from !== null ? { sequence: newestFirst ? { lt: window.from } : { gt: window.from } } : {}),
          },
          orderBy: { sequence: newestFirst ? 'desc' : 'asc' },
          take: window.size + 1,
        });
        const connection = toConnection(
          rows as TrendEvent[],
          window,
          (row) => trendCursor(row.sequence),
          (row) => row,
        );
        return { ...connection, filter } satisfies TrendListScope & object;
      },
    },
    {
      name: 'TrendItemConnection',
      description: 'A page of trend items.',
      fields: (connection) => ({
        totalCount: connection.int({
          description: 'How many trend items match the filter, in all pages.',
          resolve: (result, _args, context) =>
            countTrendItems(context.prisma, (result as unknown as TrendListScope).filter),
        }),
        totalCountIsExact: connection.boolean(
          alwaysExactCount(
            'trend items are counted in full, never capped (the whole feed in one lookup: its count is its highest `sequence`, as items are numbered without gaps)',
          ),
        ),
      }),
    },
    { name: 'TrendItemEdge', description: 'A trend item in a page of `trends`, with its cursor.' },
  ),
}));

builder.subscriptionFields((t) => ({
  trendPublished: t.field({
    type: TrendItem,
    description:
      'Every trend item published from now on, as it is published. With `after`, first replays the items published after that cursor, then continues live, with no gap and no duplicate. A category or actor slug that names nothing is refused at once with BAD_USER_INPUT (a subscription to it would never receive anything).',
    args: {
      category: t.arg.string(categoryArg),
      actor: t.arg.string(actorArg),
      after: t.arg.string(
        bounded(
          BOUNDS.cursor,
          'A `TrendItem.cursor`: first replay the items published after it (matching the filter), then continue live. Without it, only items published from now on arrive.',
        ),
      ),
    },
    subscribe: async (_root, args, context, info) => {
      const filter: TrendFilter = { category: args.category, actor: args.actor };
      const after = args.after != null ? trendSequenceOf(args.after) : null;
      const unknown = await unknownTrendFilterSlugs(context.prisma, filter);
      if (unknown.category !== null)
        throw badInput(`unknown category "${unknown.category}": no category has this slug`);
      if (unknown.actor !== null) throw badInput(`unknown actor "${unknown.actor}": no actor or alias has this slug`);
      return context.trendHub.follow<TrendEvent>(
        filter,
        after,
        queryFromInfo({ context, info, typeName: 'TrendItem' }),
      );
    },
    resolve: (item) => item,
  }),
}));
