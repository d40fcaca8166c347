// Read-side queries about trend items and their filters. No GraphQL here.

import { type TrendFilter, trendWhere } from '../feed/trend-hub.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** How many trend items match the filter. */
export async function countTrendItems(prisma: PrismaClient, filter: TrendFilter): Promise<number> {
  if (filter.category == null && filter.actor == null) {
    // Sequences have no gaps, so the largest is the count: one index probe instead of a scan.
    const latest = await prisma.trendEvent.aggregate({ _max: { sequence: true } });
    return latest._max.sequence ?? 0;
  }
  return prisma.trendEvent.count({ where: trendWhere(filter) });
}

/** The slugs of the filter that name nothing in the archive (an actor's alias slugs count as its own). */
export async function unknownTrendFilterSlugs(
  prisma: PrismaClient,
  filter: TrendFilter,
): Promise<{ category: string | null; actor: string | null }> {
  const [category, actor] = await Promise.all([
    filter.category == null
      ? null
      : prisma.category.findUnique({ where: { slug: filter.category }, select: { id: true } }),
    filter.actor == null
      ? null
      : prisma.actor.findFirst({
          where: { OR: [{ slug: filter.actor }, { aliases: { some: { slug: filter.actor } } }] },
          select: { id: true },
        }),
  ]);
  return {
    category: filter.category != null && !category ? filter.category : null,
    actor: filter.actor != null && !actor ? filter.actor : null,
  };
}
