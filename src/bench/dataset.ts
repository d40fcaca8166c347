// Databases for `npm run bench`: a fresh PostgreSQL database, and growing an ingested
// archive to a larger size by cloning its full articles in SQL (ingesting 100,000 pages
// one transaction at a time would take most of the time budget; the clones have the
// same shape: text, search vectors, mentions, links and trend items).

import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.ts';

async function adminQuery(url: string, statement: (name: string) => string[]): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new Error(`bench database name "${name}" must be letters, digits, _ or -`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const sql of statement(name)) await client.query(sql);
  } finally {
    await client.end();
  }
}

export function recreateDatabase(url: string): Promise<void> {
  return adminQuery(url, (name) => [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
}

export function dropDatabase(url: string): Promise<void> {
  return adminQuery(url, (name) => [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

/** Adds clones of the full articles (round r: title suffix, date shifted r days) until `target` full articles exist. */
export async function growArchive(prisma: PrismaClient, target: number): Promise<void> {
  const originals = await prisma.article.count({ where: { isStub: false } });
  const maxId = (await prisma.article.aggregate({ _max: { id: true } }))._max.id ?? 0;
  for (let round = 1, have = originals; have < target; round++) {
    const take = Math.min(originals, target - have);
    const suffix = `-r${round}`;
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Article" (slug, title, "normalizedTitle", "publishedAt", "categoryId", "imageCredit", paragraphs, body, "wordCount", "isStub", "updatedAt")
       SELECT slug || $1, title || ' (' || $2 || ')', "normalizedTitle" || ' ' || $2, "publishedAt" + make_interval(days => $3),
              "categoryId", "imageCredit", paragraphs, body, "wordCount", false, now()
       FROM "Article" WHERE id <= $4 AND NOT "isStub" ORDER BY id LIMIT $5`,
      suffix,
      `r${round}`,
      round,
      maxId,
      take,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Mention" ("articleId", "actorId", count)
       SELECT c.id, m."actorId", m.count FROM "Article" o
       JOIN "Article" c ON c.slug = o.slug || $1
       JOIN "Mention" m ON m."articleId" = o.id
       WHERE o.id <= $2`,
      suffix,
      maxId,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "RelatedLink" ("sourceId", "targetId", position, kind, score)
       SELECT cs.id, ct.id, l.position, l.kind, l.score FROM "RelatedLink" l
       JOIN "Article" os ON os.id = l."sourceId" AND os.id <= $2
       JOIN "Article" ot ON ot.id = l."targetId" AND ot.id <= $2
       JOIN "Article" cs ON cs.slug = os.slug || $1
       JOIN "Article" ct ON ct.slug = ot.slug || $1`,
      suffix,
      maxId,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "TrendEvent" (sequence, "articleId")
       SELECT (SELECT coalesce(max(sequence), 0) FROM "TrendEvent") + row_number() OVER (ORDER BY id), id
       FROM "Article" WHERE slug LIKE '%' || $1`,
      suffix,
    );
    have += take;
  }
  await prisma.$executeRawUnsafe(
    `UPDATE "Actor" ac SET "fullArticleCount" = (
       SELECT count(*) FROM "Mention" m JOIN "Article" a ON a.id = m."articleId" WHERE m."actorId" = ac.id AND NOT a."isStub")`,
  );
  await settle(prisma);
}

/**
 * What a live server would have done by now: autovacuum (visibility map and statistics up
 * to date) and a checkpoint, so that the writes of the phase before are not flushed
 * during the measurements of the next (a checkpoint after ingesting 10,000 pages took a
 * third off the reference query's throughput while it ran).
 */
export async function settle(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe('VACUUM ANALYZE');
  await prisma.$executeRawUnsafe('CHECKPOINT');
}
