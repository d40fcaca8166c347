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
//   w(x) = ln((N + 1) / df(x)), N = full articles, df(x) = full articles naming x.
//
// Candidates scoring below MIN_SCORE are not linked: sharing only the ubiquitous actors
// is no reason to read on. A rare actor (one official, one organisation) says far more about what two articles
// share than "Belarus", which nearly every article names, so shared actors count by
// their inverse document frequency. A candidate must share at least one actor; the
// category alone never makes a link. Ties go to the newer article. Stubs are neither
// sources nor targets: an excerpt is too short to compare, and a stub is no reading tip.
//
// Recomputed inside the ingest transaction for the ingested article, for the articles
// it now links to, and for those whose computed links pointed at it, so a change to
// one page reaches its neighbourhood. Weights of untouched articles drift as N grows;
// they are refreshed whenever they or a neighbour are ingested again.

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

interface ScoredTarget {
  targetId: number;
  score: number;
}

/** The most similar full articles to `sourceId`, editorial targets excluded. */
async function mostSimilar(tx: Tx, sourceId: number): Promise<ScoredTarget[]> {
  return tx.$queryRaw<ScoredTarget[]>`
    WITH total AS (
      SELECT count(*)::float8 AS n FROM "Article" WHERE NOT "isStub"
    ), weights AS (
      SELECT own."actorId", ln((total.n + 1) / count(*)) AS weight
      FROM "Mention" own
      JOIN "Mention" other ON other."actorId" = own."actorId"
      JOIN "Article" a ON a.id = other."articleId" AND NOT a."isStub"
      CROSS JOIN total
      WHERE own."articleId" = ${sourceId}
      GROUP BY own."actorId", total.n
    ), candidates AS (
      SELECT m."articleId" AS id, sum(w.weight) AS shared
      FROM weights w
      JOIN "Mention" m ON m."actorId" = w."actorId"
      WHERE m."articleId" <> ${sourceId}
      GROUP BY m."articleId"
    ), scored AS (
      SELECT c.id AS "targetId", target."publishedAt",
             round((${ACTOR_SHARE_WEIGHT}::float8 * c.shared / (SELECT sum(weight) FROM weights)
               + CASE WHEN target."categoryId" = source."categoryId" THEN ${CATEGORY_WEIGHT}::float8 ELSE 0 END)::numeric, 4)::float8 AS score
      FROM candidates c
      JOIN "Article" target ON target.id = c.id AND NOT target."isStub"
      JOIN "Article" source ON source.id = ${sourceId} AND NOT source."isStub"
      WHERE NOT EXISTS (
        SELECT 1 FROM "RelatedLink" l WHERE l."sourceId" = ${sourceId} AND l."targetId" = c.id AND l.kind = 'EDITORIAL'
      )
    )
    SELECT "targetId", score FROM scored
    WHERE score >= ${MIN_SCORE}::float8
    ORDER BY score DESC, "publishedAt" DESC, "targetId" DESC
    LIMIT ${COMPUTED_LINKS_PER_ARTICLE}`;
}

/** Replaces the computed links of one article; returns their targets. */
async function replaceComputedLinks(tx: Tx, sourceId: number): Promise<number[]> {
  const targets = await mostSimilar(tx, sourceId);
  await tx.relatedLink.deleteMany({ where: { sourceId, kind: 'COMPUTED' } });
  if (targets.length) {
    const editorialCount = await tx.relatedLink.count({ where: { sourceId, kind: 'EDITORIAL' } });
    await tx.relatedLink.createMany({
      data: targets.map(({ targetId, score }, n) => ({ sourceId, targetId, score, kind: 'COMPUTED' as const, position: editorialCount + n })),
    });
  }
  return targets.map((target) => target.targetId);
}

/**
 * Recomputes the computed links of an ingested article and of its neighbourhood.
 * The caller holds `lockRelatedLinks`.
 */
export async function refreshComputedLinks(tx: Tx, articleId: number): Promise<void> {
  const pointingHere = await tx.relatedLink.findMany({ where: { targetId: articleId, kind: 'COMPUTED' }, select: { sourceId: true } });
  const targets = await replaceComputedLinks(tx, articleId);
  const neighbours = new Set([...targets, ...pointingHere.map((link) => link.sourceId)]);
  neighbours.delete(articleId);
  for (const neighbour of [...neighbours].sort((a, b) => a - b)) await replaceComputedLinks(tx, neighbour);
}
