// Trend items: articles as they were first published in full, newest first, and the
// trendPublished subscription that pushes new ones (resumable from a cursor).

import { queryFromInfo } from '@pothos/plugin-prisma';
import { TREND_TOPIC } from '../feed/trend-feed.ts';
import type { Prisma, TrendEvent } from '../generated/prisma/client.ts';
import { builder, type Context } from './builder.ts';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from './pagination.ts';

function trendCursor(sequence: number): string {
  return encodeCursor('trend', [sequence]);
}

function trendSequenceOf(cursor: string): number {
  return decodeCursor('trend', cursor, ['number'])[0] as number;
}

export const TrendItem = builder.prismaNode('TrendEvent', {
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
    article: t.relation('article'),
  }),
});

interface TrendFilterArgs {
  category?: string | null;
  actor?: string | null;
}

function trendWhere(args: TrendFilterArgs): Prisma.TrendEventWhereInput {
  return {
    article: {
      ...(args.category != null ? { category: { slug: args.category } } : {}),
      ...(args.actor != null
        ? { mentions: { some: { actor: { OR: [{ slug: args.actor }, { aliases: { some: { slug: args.actor } } }] } } } }
        : {}),
    },
  };
}

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
        return toConnection(rows as TrendEvent[], window, (row) => trendCursor(row.sequence), (row) => row);
      },
    },
    { name: 'TrendItemConnection' },
    { name: 'TrendItemEdge' },
  ),
}));

/**
 * Replays what was published after `after`, then follows the live feed. Live events only
 * say "sequence N exists"; the items themselves come from the database in sequence order,
 * so an event that overtakes another or arrives during the replay leaves no gap and no
 * duplicate.
 */
async function* trendItems(context: Context, args: TrendFilterArgs & { after?: string | null }, query: object) {
  const live = context.trends.subscribe(TREND_TOPIC)[Symbol.asyncIterator]();
  // Asking for the first event starts listening now, before the replay reads the database.
  let next = live.next();
  let delivered = args.after != null ? trendSequenceOf(args.after) : null;
  const readAfter = async (sequence: number, upTo: number) =>
    (await context.prisma.trendEvent.findMany({
      ...query,
      where: { ...trendWhere(args), sequence: { gt: sequence, lte: upTo } },
      orderBy: { sequence: 'asc' },
    })) as TrendEvent[];
  try {
    if (delivered !== null) {
      const latest = (await context.prisma.trendEvent.aggregate({ _max: { sequence: true } }))._max.sequence ?? delivered;
      for (const item of await readAfter(delivered, latest)) yield item;
      delivered = Math.max(delivered, latest);
    }
    for (;;) {
      const event = await next;
      if (event.done) return;
      next = live.next();
      const { sequence } = event.value;
      delivered ??= sequence - 1;
      if (sequence <= delivered) continue;
      for (const item of await readAfter(delivered, sequence)) yield item;
      delivered = sequence;
    }
  } finally {
    await live.return?.();
  }
}

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
      trendItems(context, args, queryFromInfo({ context, info, typeName: 'TrendItem' })),
    resolve: (item) => item,
  }),
}));
