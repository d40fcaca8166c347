// Trend items as the channels outside GraphQL carry them (feeds, webhooks): the trend
// event with its article's text, category and actors, read in one query per batch.

import type { ActorKind, Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { type ScopeIds, scopeWhere } from './subscription-scope.ts';
import { trendCursor } from './trend-cursor.ts';

const TREND_ITEM_SELECT = {
  sequence: true,
  publishedAt: true,
  article: {
    select: {
      id: true,
      slug: true,
      title: true,
      normalizedTitle: true,
      publishedAt: true,
      updatedAt: true,
      imageCredit: true,
      paragraphs: true,
      category: { select: { slug: true, name: true } },
      mentions: {
        select: { actor: { select: { slug: true, name: true, kind: true } } },
        // Most named first, as Article.actors orders them.
        orderBy: [{ count: 'desc' }, { actorId: 'asc' }],
      },
    },
  },
} as const satisfies Prisma.TrendEventSelect;

type TrendItemRow = Prisma.TrendEventGetPayload<{ select: typeof TREND_ITEM_SELECT }>;

export interface TrendItem {
  sequence: number;
  cursor: string;
  /** When the item entered the trend log. */
  addedAt: Date;
  article: {
    id: number;
    slug: string;
    title: string;
    /** The article's identity (normalised title and publication time): never changes. */
    identity: string;
    publishedAt: Date;
    /** When the article's row last changed (a stub upgraded, a page re-ingested with changes). */
    updatedAt: Date;
    imageCredit: string | null;
    paragraphs: string[];
    /** The first paragraph. */
    lead: string;
    category: { slug: string; name: string } | null;
    actors: { slug: string; name: string; kind: ActorKind }[];
  };
}

function toTrendItem(row: TrendItemRow): TrendItem {
  const { article } = row;
  return {
    sequence: row.sequence,
    cursor: trendCursor(row.sequence),
    addedAt: row.publishedAt,
    article: {
      id: article.id,
      slug: article.slug,
      title: article.title,
      identity: `${article.normalizedTitle}|${article.publishedAt.toISOString()}`,
      publishedAt: article.publishedAt,
      updatedAt: article.updatedAt,
      imageCredit: article.imageCredit,
      paragraphs: article.paragraphs,
      lead: article.paragraphs[0] ?? '',
      category: article.category,
      actors: article.mentions.map((mention) => mention.actor),
    },
  };
}

/** The newest items of a scope, newest first. */
export async function newestTrendItems(prisma: PrismaClient, scope: ScopeIds, limit: number): Promise<TrendItem[]> {
  const rows = await prisma.trendEvent.findMany({
    select: TREND_ITEM_SELECT,
    where: scopeWhere(scope),
    orderBy: { sequence: 'desc' },
    take: limit,
  });
  return rows.map(toTrendItem);
}

/** Items of a scope with a sequence in (after, upTo], oldest first. */
export async function trendItemsBetween(
  prisma: PrismaClient,
  scope: ScopeIds,
  after: number,
  upTo: number,
  limit: number,
): Promise<TrendItem[]> {
  const rows = await prisma.trendEvent.findMany({
    select: TREND_ITEM_SELECT,
    where: { ...scopeWhere(scope), sequence: { gt: after, lte: upTo } },
    orderBy: { sequence: 'asc' },
    take: limit,
  });
  return rows.map(toTrendItem);
}

/** The highest sequence in the trend log (0 when empty). Every lower one is committed too. */
export async function latestTrendSequence(prisma: PrismaClient): Promise<number> {
  const latest = await prisma.trendEvent.aggregate({ _max: { sequence: true } });
  return latest._max.sequence ?? 0;
}
