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
// Recomputed for the ingested article, for the articles it now links to, and for those
// whose computed links pointed at it (at most 10 of these neighbours per article), so a
// change to one page reaches its neighbourhood: inside the ingest transaction for a
// single document, once per batch for bulk ingestion (many articles in one statement).
// Weights of untouched articles drift as N grows; they are refreshed whenever they or a
// neighbour are ingested again.

import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ArchiveChange } from './archive-change.ts';

type Tx = Prisma.TransactionClient;

const COMPUTED_LINKS_PER_ARTICLE = 5;
const ACTOR_SHARE_WEIGHT = 0.8;
const CATEGORY_WEIGHT = 0.2;
const MIN_SCORE = 0.05;

/**
 * Candidates are found through the source's rarer actors only: those named by at most
 * RARE_ACTOR_SHARE of the full articles (and never fewer than RARE_ACTOR_MIN). Going
 * through "Belarus", named nearly everywhere, would visit the whole archive for links it
 * could hardly justify. The best CANDIDATES_SCORED by rare actors are then scored in full.
 */
const RARE_ACTOR_SHARE = 0.02;
const RARE_ACTOR_MIN = 50;
const CANDIDATES_SCORED = 100;

/**
 * Replaces the computed links of many articles in two statements; returns their targets
 * and the ids of the links it removed. `fullArticles` is N of the formula: the number of
 * full articles.
 */
async function replaceComputedLinks(
  tx: Tx,
  sourceIds: readonly number[],
  fullArticles: number,
): Promise<{ targets: number[]; removed: number[] }> {
  const ids = [...sourceIds];
  const removed = await tx.$queryRaw<{ id: number }[]>`
    DELETE FROM "RelatedLink" WHERE "sourceId" = ANY(${ids}) AND kind = 'COMPUTED' RETURNING id`;
  const rareLimit = Math.max(RARE_ACTOR_MIN, Math.floor(fullArticles * RARE_ACTOR_SHARE));
  const inserted = await tx.$queryRaw<{ targetId: number }[]>`
    WITH sources AS (
      SELECT id, "categoryId" FROM "Article" WHERE id = ANY(${ids}) AND NOT "isStub"
    ), own AS (
      -- Each source's actors with their weights, its category and its total weight carried
      -- along, so that scoring joins no other per-source row (see shared).
      SELECT source, "categoryId", "actorId", df, weight, sum(weight) OVER (PARTITION BY source) AS total
      FROM (
        SELECT s.id AS source, s."categoryId", m."actorId", ac."fullArticleCount" AS df,
               ln((${fullArticles}::float8 + 1) / greatest(ac."fullArticleCount", 1)) AS weight
        FROM sources s JOIN "Mention" m ON m."articleId" = s.id JOIN "Actor" ac ON ac.id = m."actorId"
      ) named
    ), candidates AS (
      SELECT source, id FROM (
        SELECT own.source, m."articleId" AS id,
               row_number() OVER (PARTITION BY own.source ORDER BY sum(own.weight) DESC, m."articleId" DESC) AS n
        FROM own JOIN "Mention" m ON m."actorId" = own."actorId"
        WHERE own.df <= ${rareLimit} AND m."articleId" <> own.source
        GROUP BY own.source, m."articleId"
      ) ranked WHERE n <= ${CANDIDATES_SCORED}
    ), candidate_actors AS MATERIALIZED (
      -- Materialized so that the candidates' own mentions are read first (about ten
      -- each). Inlined, the planner joined every mention of the sources' actors, the
      -- commonest included, before narrowing to the candidates: 10x slower (0.7 s
      -- instead of 0.06 s per 1,000 articles), with every other ingest waiting on its lock.
      SELECT c.source, c.id, m."actorId" FROM candidates c JOIN "Mention" m ON m."articleId" = c.id
    ), shared AS (
      -- The source's total and category come along from own: joined back by source id
      -- instead, the planner (which expects ten sources from an array parameter) chose a
      -- nested loop over every source for every candidate: 1.08 s instead of 0.19 s for
      -- 500 articles.
      SELECT ca.source, ca.id, sum(own.weight) AS weight, max(own.total) AS total, max(own."categoryId") AS "categoryId"
      FROM candidate_actors ca
      JOIN own ON own.source = ca.source AND own."actorId" = ca."actorId"
      GROUP BY ca.source, ca.id
    ), scored AS (
      SELECT sh.source, sh.id AS "targetId", target."publishedAt",
             round((${ACTOR_SHARE_WEIGHT}::float8 * sh.weight / sh.total
               + CASE WHEN target."categoryId" = sh."categoryId" THEN ${CATEGORY_WEIGHT}::float8 ELSE 0 END)::numeric, 4)::float8 AS score
      FROM shared sh
      JOIN "Article" target ON target.id = sh.id AND NOT target."isStub"
      WHERE NOT EXISTS (
        SELECT 1 FROM "RelatedLink" l WHERE l."sourceId" = sh.source AND l."targetId" = sh.id AND l.kind = 'EDITORIAL'
      )
    ), best AS (
      SELECT *, row_number() OVER (PARTITION BY source ORDER BY score DESC, "publishedAt" DESC, "targetId" DESC) AS n
      FROM scored WHERE score >= ${MIN_SCORE}::float8
    )
    INSERT INTO "RelatedLink" ("sourceId", "targetId", "position", "kind", "score")
    SELECT best.source, best."targetId",
           ((SELECT count(*) FROM "RelatedLink" e WHERE e."sourceId" = best.source AND e.kind = 'EDITORIAL') + best.n - 1)::int,
           'COMPUTED', best.score
    FROM best WHERE best.n <= ${COMPUTED_LINKS_PER_ARTICLE}
    RETURNING "targetId"`;
  return { targets: inserted.map((row) => row.targetId), removed: removed.map((row) => row.id) };
}

/** What a refresh changed: the articles whose computed links it rewrote, and the links it removed. */
type RefreshedLinks = Pick<ArchiveChange, 'articleIds' | 'linkIds'>;

/** Neighbours refreshed per ingested article at most, so a much-linked article stays cheap to ingest. */
const NEIGHBOURS_REFRESHED = 10;

/** Recomputes the computed links of ingested full articles and of their neighbourhood. */
export async function refreshComputedLinks(tx: Tx, articleIds: readonly number[]): Promise<RefreshedLinks> {
  const ids = [...new Set(articleIds)].sort((a, b) => a - b);
  if (ids.length === 0) return { articleIds: [], linkIds: [] };
  // PostgreSQL's JIT compiled the many-CTE statement below for seconds each time its cost
  // estimate crossed jit_above_cost (measured in bulk ingestion: 2.2-2.7 s per 1,000
  // articles, against 0.1-0.2 s to run it): not worth it for a statement run once.
  await tx.$executeRaw`SET LOCAL jit = off`;
  // The archive writer lock (archive-write.sql), as every write of archive rows.
  await tx.$executeRaw`SELECT archive_lock_writer()`;
  // Full articles = published trend items (one each, gap-free).
  const [{ fullArticles }] = await tx.$queryRaw<[{ fullArticles: number }]>`
    SELECT coalesce(max(sequence), 0)::int AS "fullArticles" FROM "TrendEvent"`;
  const pointingHere = await tx.$queryRaw<{ sourceId: number }[]>`
    SELECT "sourceId" FROM (
      SELECT "sourceId", row_number() OVER (PARTITION BY "targetId" ORDER BY "sourceId" DESC) AS n
      FROM "RelatedLink" WHERE "targetId" = ANY(${ids}) AND kind = 'COMPUTED'
    ) ranked WHERE n <= ${NEIGHBOURS_REFRESHED}`;
  const own = await replaceComputedLinks(tx, ids, fullArticles);
  const ownIds = new Set(ids);
  const neighbours = [...new Set([...own.targets, ...pointingHere.map((link) => link.sourceId)])]
    .filter((id) => !ownIds.has(id))
    .sort((a, b) => a - b)
    .slice(0, NEIGHBOURS_REFRESHED * ids.length);
  const theirs = neighbours.length ? await replaceComputedLinks(tx, neighbours, fullArticles) : { removed: [] };
  return { articleIds: [...ids, ...neighbours], linkIds: [...own.removed, ...theirs.removed] };
}

/** Articles per statement when a batch refreshes its computed links. */
const REFRESH_CHUNK = 500;

/**
 * refreshComputedLinks for a batch of ingested articles, in transactions of REFRESH_CHUNK
 * articles; returns what each transaction changed.
 */
export async function refreshComputedLinksOf(
  prisma: PrismaClient,
  articleIds: readonly number[],
): Promise<ArchiveChange[]> {
  const ids = [...new Set(articleIds)].sort((a, b) => a - b);
  const changes: ArchiveChange[] = [];
  for (let at = 0; at < ids.length; at += REFRESH_CHUNK) {
    const change = await prisma.$transaction(
      async (tx): Promise<ArchiveChange> => {
        const refreshed = await refreshComputedLinks(tx, ids.slice(at, at + REFRESH_CHUNK));
        const [{ revision }] = await tx.$queryRaw<[{ revision: number }]>`SELECT archive_next_revision() AS revision`;
        return { revisions: [revision], actorIds: [], categoryIds: [], ...refreshed };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    changes.push(change);
  }
  return changes;
}
