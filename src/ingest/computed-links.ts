// COMPUTED related links: for each full article, the five other full articles most
// similar to it, placed after its editorial links.
//
// Similarity of a candidate B to a source article A (a number in [0, 1]):
//
//   score(A, B) = 0.8 · Σ w(x) over actors x named by both A and B
//                       ─────────────────────────────────────────
//                       Σ w(x) over actors x named by A
//               + 0.2 · [A and B share a category]
//
//   w(x) = ln((N + 1) / df(x)), N = full articles, df(x) = full articles naming x
//   (kept in Actor.fullArticleCount).
//
// A rare actor (one official, one organisation) says far more about what two articles
// share than "Belarus", which nearly every article names, so shared actors count by
// their inverse document frequency. A candidate must share at least one actor; the
// category alone never makes a link, and candidates scoring below MIN_SCORE (sharing
// only the ubiquitous actors) are not linked. Ties go to the newer article. Stubs are
// neither sources nor targets: an excerpt is too short to compare, and a stub is no
// reading tip.
//
// Recomputed inside the ingest transaction for the ingested article, for the articles
// it now links to, and for those whose computed links pointed at it (at most 10 of
// these neighbours), so a change to one page reaches its neighbourhood. Weights of
// untouched articles drift as N grows; they are refreshed whenever they or a neighbour
// are ingested again.

import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export const COMPUTED_LINKS_PER_ARTICLE = 5;
export const ACTOR_SHARE_WEIGHT = 0.8;
export const CATEGORY_WEIGHT = 0.2;
export const MIN_SCORE = 0.05;

/**
 * Every writer of related links takes this lock before touching any link (after its
 * per-article identity locks and before the trend-sequence lock), so concurrent ingests
 * that recompute the same neighbours cannot deadlock or clash on link positions.
 */
const RELATED_LINKS_LOCK = 7_301_002;

export async function lockRelatedLinks(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RELATED_LINKS_LOCK})`;
}

/**
 * Candidates are found through the source's rarer actors only: those named by at most
 * RARE_ACTOR_SHARE of the full articles (and never fewer than RARE_ACTOR_MIN). Going
 * through "Belarus", named nearly everywhere, would visit the whole archive for links it
 * could hardly justify. The best CANDIDATES_SCORED by rare actors are then scored in full.
 */
export const RARE_ACTOR_SHARE = 0.02;
export const RARE_ACTOR_MIN = 50;
const CANDIDATES_SCORED = 100;

/**
 * Replaces the computed links of one article in two statements; returns their targets.
 * `fullArticles` is N of the formula: the number of full articles, this one included.
 */
async function replaceComputedLinks(tx: Tx, sourceId: number, fullArticles: number): Promise<number[]> {
  await tx.relatedLink.deleteMany({ where: { sourceId, kind: 'COMPUTED' } });
  const rareLimit = Math.max(RARE_ACTOR_MIN, Math.floor(fullArticles * RARE_ACTOR_SHARE));
  const inserted = await tx.$queryRaw<{ targetId: number }[]>`
    WITH own AS (
      SELECT m."actorId", ac."fullArticleCount" AS df,
             ln((${fullArticles}::float8 + 1) / greatest(ac."fullArticleCount", 1)) AS weight
      FROM "Mention" m JOIN "Actor" ac ON ac.id = m."actorId"
      WHERE m."articleId" = ${sourceId}
    ), candidates AS (
      SELECT m."articleId" AS id
      FROM own JOIN "Mention" m ON m."actorId" = own."actorId"
      WHERE own.df <= ${rareLimit} AND m."articleId" <> ${sourceId}
      GROUP BY m."articleId"
      ORDER BY sum(own.weight) DESC, m."articleId" DESC
      LIMIT ${CANDIDATES_SCORED}
    ), shared AS (
      SELECT c.id, sum(own.weight) AS weight
      FROM candidates c
      JOIN "Mention" m ON m."articleId" = c.id
      JOIN own ON own."actorId" = m."actorId"
      GROUP BY c.id
    ), scored AS (
      SELECT s.id AS "targetId", target."publishedAt",
             round((${ACTOR_SHARE_WEIGHT}::float8 * s.weight / (SELECT sum(weight) FROM own)
               + CASE WHEN target."categoryId" = source."categoryId" THEN ${CATEGORY_WEIGHT}::float8 ELSE 0 END)::numeric, 4)::float8 AS score
      FROM shared s
      JOIN "Article" target ON target.id = s.id AND NOT target."isStub"
      JOIN "Article" source ON source.id = ${sourceId} AND NOT source."isStub"
      WHERE NOT EXISTS (
        SELECT 1 FROM "RelatedLink" l WHERE l."sourceId" = ${sourceId} AND l."targetId" = s.id AND l.kind = 'EDITORIAL'
      )
    ), best AS (
      SELECT * FROM scored WHERE score >= ${MIN_SCORE}::float8
      ORDER BY score DESC, "publishedAt" DESC, "targetId" DESC
      LIMIT ${COMPUTED_LINKS_PER_ARTICLE}
    ), editorial AS (
      SELECT count(*) AS n FROM "RelatedLink" WHERE "sourceId" = ${sourceId} AND kind = 'EDITORIAL'
    )
    INSERT INTO "RelatedLink" ("sourceId", "targetId", "position", "kind", "score")
    SELECT ${sourceId}, best."targetId",
           (editorial.n + row_number() OVER (ORDER BY best.score DESC, best."publishedAt" DESC, best."targetId" DESC) - 1)::int,
           'COMPUTED', best.score
    FROM best CROSS JOIN editorial
    RETURNING "targetId"`;
  return inserted.map((row) => row.targetId);
}

/** Neighbours refreshed per ingest at most, so a much-linked article stays cheap to ingest. */
const NEIGHBOURS_REFRESHED = 10;

/**
 * Recomputes the computed links of an ingested full article and of its neighbourhood.
 * The caller holds `lockRelatedLinks`.
 */
export async function refreshComputedLinks(tx: Tx, articleId: number, fullArticles: number): Promise<void> {
  const pointingHere = await tx.relatedLink.findMany({
    where: { targetId: articleId, kind: 'COMPUTED' },
    select: { sourceId: true },
    orderBy: { sourceId: 'desc' },
    take: NEIGHBOURS_REFRESHED,
  });
  const targets = await replaceComputedLinks(tx, articleId, fullArticles);
  const neighbours = new Set([...targets, ...pointingHere.map((link) => link.sourceId)]);
  neighbours.delete(articleId);
  for (const neighbour of [...neighbours].sort((a, b) => a - b).slice(0, NEIGHBOURS_REFRESHED)) {
    await replaceComputedLinks(tx, neighbour, fullArticles);
  }
}

/** Keeps Actor.fullArticleCount: the actors a full article names before and after a change. */
export async function recountActors(tx: Tx, before: readonly number[], after: readonly number[]): Promise<void> {
  const was = new Set(before);
  const is = new Set(after);
  const added = [...is].filter((id) => !was.has(id));
  const removed = [...was].filter((id) => !is.has(id));
  if (added.length) await tx.actor.updateMany({ where: { id: { in: added } }, data: { fullArticleCount: { increment: 1 } } });
  if (removed.length) await tx.actor.updateMany({ where: { id: { in: removed } }, data: { fullArticleCount: { decrement: 1 } } });
}
