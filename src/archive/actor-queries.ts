// Read-side queries about actors, each answering many parents in one statement.

import type { SqlRunner } from '../db/sql.ts';
import type { Actor, Prisma, PrismaClient } from '../generated/prisma/client.ts';

/** Every surface form of each actor, oldest first. */
export async function aliasesOf(sql: SqlRunner, actorIds: readonly number[]): Promise<string[][]> {
  const rows = await sql.query<{ actorId: number; surfaces: string[] }>(
    'SELECT "actorId", array_agg(surface ORDER BY id) AS surfaces FROM "ActorAlias" WHERE "actorId" = ANY($1::int[]) GROUP BY "actorId"',
    [actorIds],
  );
  const byActor = new Map(rows.map((row) => [row.actorId, row.surfaces]));
  return actorIds.map((id) => byActor.get(id) ?? []);
}

/** How often each actor is mentioned across the archive (sum of per-article counts). */
export async function mentionCountsOf(prisma: PrismaClient, actorIds: readonly number[]): Promise<number[]> {
  const rows = await prisma.mention.groupBy({
    by: ['actorId'],
    where: { actorId: { in: [...actorIds] } },
    _sum: { count: true },
  });
  const counts = new Map(rows.map((row) => [row.actorId, row._sum.count ?? 0]));
  return actorIds.map((id) => counts.get(id) ?? 0);
}

/** Actors most often named in the same articles as each given actor. */
export async function coActorsOf(
  prisma: PrismaClient,
  requests: readonly { actorId: number; limit: number }[],
): Promise<{ actor: Actor; sharedArticles: number }[][]> {
  const actorIds = [...new Set(requests.map((request) => request.actorId))];
  const limit = Math.max(...requests.map((request) => request.limit));
  const rows = await prisma.$queryRaw<(Actor & { subject: number; shared: number })[]>`
    SELECT ranked.subject, ranked.shared, ac.* FROM (
      SELECT m1."actorId" AS subject, m2."actorId" AS other, count(*)::int AS shared,
             row_number() OVER (PARTITION BY m1."actorId" ORDER BY count(*) DESC, m2."actorId") AS position
      FROM "Mention" m1 JOIN "Mention" m2 ON m2."articleId" = m1."articleId" AND m2."actorId" <> m1."actorId"
      WHERE m1."actorId" = ANY(${actorIds}::int[])
      GROUP BY m1."actorId", m2."actorId"
    ) ranked JOIN "Actor" ac ON ac.id = ranked.other
    WHERE ranked.position <= ${limit}
    ORDER BY ranked.subject, ranked.position`;
  return requests.map((request) =>
    rows
      .filter((row) => row.subject === request.actorId)
      .slice(0, request.limit)
      .map(({ subject: _subject, shared, ...actor }) => ({ actor: actor as Actor, sharedArticles: shared })),
  );
}

/** For each related link, the actors both of its articles name (why they are related). */
export async function sharedActorsOf(prisma: PrismaClient, linkIds: readonly number[]): Promise<Actor[][]> {
  const rows = await prisma.$queryRaw<(Actor & { link: number })[]>`
    SELECT l.id AS link, ac.* FROM "RelatedLink" l
    JOIN "Mention" ms ON ms."articleId" = l."sourceId"
    JOIN "Mention" mt ON mt."articleId" = l."targetId" AND mt."actorId" = ms."actorId"
    JOIN "Actor" ac ON ac.id = ms."actorId"
    WHERE l.id = ANY(${[...linkIds]}::int[])
    ORDER BY l.id, ms.count + mt.count DESC, ac.id`;
  return linkIds.map((id) => rows.filter((row) => row.link === id).map(({ link: _link, ...actor }) => actor as Actor));
}

/**
 * How a slug finds its actor, tried in order: the actor's own slug, then the oldest actor
 * with an alias of that slug ("makey" and "makei" both find Vladimir Makei).
 */
export function actorSlugLookups(slug: string) {
  return [
    { where: { slug } },
    { where: { aliases: { some: { slug } } }, orderBy: { id: 'asc' as const } },
  ] as const satisfies readonly Prisma.ActorFindFirstArgs[];
}
