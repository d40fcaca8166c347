// Read-side queries about categories, each answering many categories in one statement.

import type { SqlRunner } from '../db/sql.ts';

/** Full articles (stubs not counted) per category, in the order asked. */
export async function fullArticleCountsOf(sql: SqlRunner, categoryIds: readonly number[]): Promise<number[]> {
  const rows = await sql.query<{ categoryId: number; count: number }>(
    `SELECT "categoryId", count(*)::int AS count FROM "Article"
     WHERE "categoryId" = ANY($1::int[]) AND NOT "isStub" GROUP BY "categoryId"`,
    [categoryIds],
  );
  const counts = new Map(rows.map((row) => [row.categoryId, row.count]));
  return categoryIds.map((id) => counts.get(id) ?? 0);
}
