// Trend items: articles as they were first published in full, newest first, and the
// trendPublished subscription that pushes new ones (resumable from a cursor).

import { queryFromInfo } from '@pothos/plugin-prisma';
import { trendCursor } from '../feed/trend-cursor.ts';
import { trendWhere } from '../feed/trend-hub.ts';
import type { TrendEvent } from '../generated/prisma/client.ts';
import { Article } from './article.ts';
import { articleShapeAt } from './article-shape.ts';
import { builder } from './builder.ts';
import { decodeCursor, pageWindow, toConnection } from './pagination.ts';

function trendSequenceOf(cursor: string): number {
  return decodeCursor('trend', cursor, ['number'])[0] as number;
}

const TrendItem = builder.prismaNode('TrendEvent', {
  name: 'TrendItem',
  id: { field: 'sequence' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` to resume the feed from here.',
      resolve: (event) => trendCursor(event.sequence),
    }),
    sequence: t.exposeInt('sequence', { description: 'Strictly increasing, no holes: a client sees gaps.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', description: 'When the item was published to the feed.' }),
    article: t.field({
      type: Article,
      resolve: async (event, _args, context, info) =>
        (await context.loaders.articlesById(articleShapeAt(info, [])).load(event.articleId))!,
    }),
  }),
});

builder.queryFields((t) => ({
  trends: t.connection(
    {
      type: TrendItem,
      description: 'Published trend items, newest first.',
      args: {
        category: t.arg.string({ description: 'Category slug.' }),
        actor: t.arg.string({ description: 'Actor slug or alias slug.' }),
      },
      resolve: async (_root, args, context, info) => {
        const window = pageWindow(args, trendSequenceOf);
        const newestFirst = !window.backward;
        const rows = await context.prisma.trendEvent.findMany({
          ...queryFromInfo({ context, info, typeName: 'TrendItem', path: ['edges', 'node'] }),
          where: {
            ...trendWhere(args),
            ...(window.from !== null ? { sequence: newestFirst ? { lt: window.from } : { gt: window.from } } : {}),
          },
          orderBy: { sequence: newestFirst ? 'desc' : 'asc' },
          take: window.size + 1,
        });
        return toConnection(
          rows as TrendEvent[],
          window,
          (row) => trendCursor(row.sequence),
          (row) => row,
        );
      },
    },
    { name: 'TrendItemConnection' },
    { name: 'TrendItemEdge' },
  ),
}));

builder.subscriptionFields((t) => ({
  trendPublished: t.field({
    type: TrendItem,
    description:
      'Every newly published trend item. With `after`, first replays the items published after that cursor, then continues live, with no gap and no duplicate.',
    args: {
      category: t.arg.string({ description: 'Category slug.' }),
      actor: t.arg.string({ description: 'Actor slug or alias slug.' }),
      after: t.arg.string({ description: 'A TrendItem.cursor: replay what was published after it first.' }),
    },
    subscribe: (_root, args, context, info) =>
      context.trendHub.follow<TrendEvent>(
        { category: args.category, actor: args.actor },
        args.after != null ? trendSequenceOf(args.after) : null,
        queryFromInfo({ context, info, typeName: 'TrendItem' }),
      ),
    resolve: (item) => item,
  }),
}));
