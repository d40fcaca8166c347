// Read-side queries over articles: filtering, keyset pages in date or relevance order,
// counts, facets and search headlines. Each function takes many requests and answers
// them in one SQL statement (UNION ALL), so GraphQL can batch sibling fields with
// DataLoader and a request costs a fixed number of statements. No GraphQL here.

import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

export interface ArticleFilter {
  category?: string | null;
  actors?: readonly string[] | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
  text?: string | null;
  includeStubs?: boolean | null;
  /** The query of `search`: matched like `text`, and what RELEVANCE ranks by. */
  searchText?: string | null;
}

export type ArticleOrder = 'PUBLISHED_AT_DESC' | 'PUBLISHED_AT_ASC' | 'RELEVANCE';

/** A position in a list: publication time or relevance rank, then id as the tie-breaker. */
export type ArticleKey = { publishedAt: string; id: number } | { rank: number; id: number };

export interface ArticlePageRequest {
  filter: ArticleFilter;
  order: ArticleOrder;
  from: ArticleKey | null;
  backward: boolean;
  /** Rows to read: one more than the page, to know whether another page follows. */
  limit: number;
}

export interface ArticlePageRow {
  id: number;
  publishedAt: Date;
  rank: number | null;
}

export interface ArticlePage {
  rows: ArticlePageRow[];
  /** How many articles match the filter, when the page's statement counted them (see pageSql). */
  total: number | null;
}

/** Stemming and stop words of English; Cyrillic words pass through unchanged. */
const TEXT_SEARCH_CONFIG = Prisma.sql`'english'::regconfig`;

function tsquery(text: string): Prisma.Sql {
  return Prisma.sql`websearch_to_tsquery(${TEXT_SEARCH_CONFIG}, ${text})`;
}

/**
 * Articles that mention, for every slug, an actor with that slug or alias slug. The slugs
 * travel as one array parameter: the statement is the same whatever their number.
 */
function mentionsEverySlugSql(slugs: readonly string[]): Prisma.Sql {
  return Prisma.sql`a.id IN (SELECT m."articleId"
    FROM (SELECT id AS "actorId", slug FROM "Actor" WHERE slug = ANY(${slugs}::text[])
          UNION SELECT "actorId", slug FROM "ActorAlias" WHERE slug = ANY(${slugs}::text[])) named
    JOIN "Mention" m ON m."actorId" = named."actorId"
    GROUP BY m."articleId" HAVING count(DISTINCT named.slug) = ${slugs.length}::int)`;
}

/** The filter as SQL conditions over "Article" a. */
function articleFilterSql(filter: ArticleFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (!filter.includeStubs) conditions.push(Prisma.sql`NOT a."isStub"`);
  if (filter.category != null) {
    conditions.push(Prisma.sql`a."categoryId" IN (SELECT id FROM "Category" WHERE slug = ${filter.category})`);
  }
  const actorSlugs = [...new Set(filter.actors ?? [])];
  if (actorSlugs.length > 0) conditions.push(mentionsEverySlugSql(actorSlugs));
  if (filter.publishedAfter) conditions.push(Prisma.sql`a."publishedAt" >= ${filter.publishedAfter}`);
  if (filter.publishedBefore) conditions.push(Prisma.sql`a."publishedAt" < ${filter.publishedBefore}`);
  for (const text of [filter.text, filter.searchText]) {
    if (text != null) conditions.push(Prisma.sql`a."searchVector" @@ ${tsquery(text)}`);
  }
  return conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
}

/**
 * ts_rank: how often the query's words occur, title words (weight A) counting more than
 * body words (B). Not ts_rank_cd: its cover-density pass cost about 10 µs more per match,
 * and ranking reads every match (measured at 100,000 articles: 17 → 6 ms for 1,220
 * matches).
 */
function rankSql(text: string): Prisma.Sql {
  // float8, so the rank survives the round trip through a cursor exactly.
  // Through numeric first: ts_rank is a float4, and widening it directly would show
  // clients binary artefacts (0.6079270839691162 instead of 0.607927).
  return Prisma.sql`ts_rank(a."searchVector", ${tsquery(text)})::numeric::float8`;
}

/** RELEVANCE ranks by the search query, else by the filter's text; without text it is by date. */
export function rankingText(request: Pick<ArticlePageRequest, 'filter' | 'order'>): string | null {
  return request.order === 'RELEVANCE' ? (request.filter.searchText ?? request.filter.text ?? null) : null;
}

/**
 * A ranked first page counts its matches in the same statement: ranking already reads
 * every match to sort them, so the count is nearly free there, where a separate count
 * would read them all again. Date-ordered pages stop at the page's end and do not count.
 */
function countsInPage(request: ArticlePageRequest): boolean {
  return rankingText(request) !== null && request.from === null;
}

function pageSql(request: ArticlePageRequest, index: number): Prisma.Sql {
  const rankBy = rankingText(request);
  const ranked = rankBy !== null;
  const rank = ranked ? rankSql(rankBy) : Prisma.sql`NULL::float8`;
  const total = countsInPage(request) ? Prisma.sql`count(*) OVER ()::int` : Prisma.sql`NULL::int`;
  const conditions = [articleFilterSql(request.filter)];
  const ascending = request.order === 'PUBLISHED_AT_ASC';
  // Reading backwards flips the direction; the caller reverses the rows again.
  const descending = ascending === request.backward;
  const direction = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const beyond = descending ? Prisma.sql`<` : Prisma.sql`>`;
  const from = request.from;
  if (from && 'rank' in from) conditions.push(Prisma.sql`(${rank}, a.id) ${beyond} (${from.rank}::float8, ${from.id})`);
  if (from && 'publishedAt' in from) {
    conditions.push(
      Prisma.sql`(a."publishedAt", a.id) ${beyond} (${new Date(from.publishedAt)}::timestamptz, ${from.id})`,
    );
  }
  const orderBy = ranked
    ? Prisma.sql`${rank} ${direction}, a.id ${direction}`
    : Prisma.sql`a."publishedAt" ${direction}, a.id ${direction}`;
  return Prisma.sql`(SELECT ${index}::int AS request, a.id, a."publishedAt", ${rank} AS rank, ${total} AS total
    FROM "Article" a WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${orderBy} LIMIT ${request.limit})`;
}

/** One statement for all requests; rows per request in the direction of travel. */
export async function findArticlePages(
  prisma: PrismaClient,
  requests: readonly ArticlePageRequest[],
): Promise<ArticlePage[]> {
  const rows = await prisma.$queryRaw<(ArticlePageRow & { request: number; total: number | null })[]>(
    Prisma.join(requests.map(pageSql), ' UNION ALL '),
  );
  // UNION ALL keeps each branch's rows together but not necessarily its order: restore it.
  const pages: ArticlePage[] = requests.map((request) => ({ rows: [], total: countsInPage(request) ? 0 : null }));
  for (const { request, total, ...row } of rows) {
    pages[request]!.rows.push(row);
    if (total !== null) pages[request]!.total = total;
  }
  for (const [i, page] of pages.entries()) sortPage(page.rows, requests[i]!);
  return pages;
}

function sortPage(rows: ArticlePageRow[], request: ArticlePageRequest): ArticlePageRow[] {
  const ranked = rankingText(request) !== null;
  const ascending = request.order === 'PUBLISHED_AT_ASC';
  const sign = ascending === request.backward ? -1 : 1;
  return rows.sort((a, b) => {
    const primary = ranked ? a.rank! - b.rank! : a.publishedAt.getTime() - b.publishedAt.getTime();
    return sign * (primary || a.id - b.id);
  });
}

/** The unfiltered default: every full article, stubs hidden. */
function isAllFullArticles(filter: ArticleFilter): boolean {
  return (
    !filter.includeStubs &&
    filter.category == null &&
    !filter.actors?.length &&
    filter.publishedAfter == null &&
    filter.publishedBefore == null &&
    filter.text == null &&
    filter.searchText == null
  );
}

export async function countArticles(prisma: PrismaClient, filters: readonly ArticleFilter[]): Promise<number[]> {
  const branches = filters.map((filter, i) =>
    isAllFullArticles(filter)
      ? // Every full article has exactly one trend event and their sequence has no gaps,
        // so the largest sequence is the count: one index probe instead of a scan.
        Prisma.sql`(SELECT ${i}::int AS request, coalesce(max(sequence), 0)::int AS count FROM "TrendEvent")`
      : Prisma.sql`(SELECT ${i}::int AS request, count(*)::int AS count FROM "Article" a WHERE ${articleFilterSql(filter)})`,
  );
  const rows = await prisma.$queryRaw<{ request: number; count: number }[]>(Prisma.join(branches, ' UNION ALL '));
  const counts = filters.map(() => 0);
  for (const row of rows) counts[row.request] = row.count;
  return counts;
}

export interface FacetCounts {
  categories: { categoryId: number; count: number }[];
  actors: { actorId: number; count: number }[];
  years: { year: number; count: number }[];
}

export interface FacetRequest {
  filter: ArticleFilter;
  actorLimit: number;
  actorKind: 'PERSON' | 'STATE' | 'ORGANIZATION' | null;
}

/**
 * Counts over the whole filtered set (not a page): categories, most-mentioned actors
 * (number of articles naming them) and publication years in Minsk time. One statement.
 */
export async function articleFacets(prisma: PrismaClient, requests: readonly FacetRequest[]): Promise<FacetCounts[]> {
  const branches = requests.flatMap((request, i) => {
    const where = articleFilterSql(request.filter);
    const kind = request.actorKind ? Prisma.sql`AND ac.kind = ${request.actorKind}::"ActorKind"` : Prisma.empty;
    return [
      Prisma.sql`(SELECT ${i}::int AS request, 'category' AS facet, a."categoryId" AS value, count(*)::int AS count
        FROM "Article" a WHERE ${where} AND a."categoryId" IS NOT NULL GROUP BY a."categoryId")`,
      Prisma.sql`(SELECT ${i}::int, 'actor', m."actorId", count(*)::int FROM "Article" a
        JOIN "Mention" m ON m."articleId" = a.id JOIN "Actor" ac ON ac.id = m."actorId"
        WHERE ${where} ${kind} GROUP BY m."actorId" ORDER BY count(*) DESC, m."actorId" LIMIT ${request.actorLimit})`,
      Prisma.sql`(SELECT ${i}::int, 'year', extract(year FROM a."publishedAt" AT TIME ZONE 'Europe/Minsk')::int, count(*)::int
        FROM "Article" a WHERE ${where} GROUP BY 3)`,
    ];
  });
  const rows = await prisma.$queryRaw<{ request: number; facet: string; value: number; count: number }[]>(
    Prisma.join(branches, ' UNION ALL '),
  );
  const facets: FacetCounts[] = requests.map(() => ({ categories: [], actors: [], years: [] }));
  for (const row of rows) {
    const facet = facets[row.request]!;
    if (row.facet === 'category') facet.categories.push({ categoryId: row.value, count: row.count });
    if (row.facet === 'actor') facet.actors.push({ actorId: row.value, count: row.count });
    if (row.facet === 'year') facet.years.push({ year: row.value, count: row.count });
  }
  for (const facet of facets) {
    facet.categories.sort((a, b) => b.count - a.count || a.categoryId - b.categoryId);
    facet.actors.sort((a, b) => b.count - a.count || a.actorId - b.actorId);
    facet.years.sort((a, b) => b.year - a.year);
  }
  return facets;
}

// Private-use characters mark matches, so the body's own text can be escaped safely.
const MATCH_START = '\uE000';
const MATCH_END = '\uE001';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Body excerpts with the matches of `text` wrapped in <mark>…</mark>. The rest is
 * HTML-escaped, so a client may render the headline as HTML.
 */
export async function searchHeadlines(
  prisma: PrismaClient,
  requests: readonly { articleId: number; text: string }[],
): Promise<string[]> {
  const branches = requests.map(
    (
      { articleId, text },
      i,
    ) => Prisma.sql`(SELECT ${i}::int AS request, ts_headline(${TEXT_SEARCH_CONFIG}, a.body, ${tsquery(text)},
      ${`StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})
      AS headline FROM "Article" a WHERE a.id = ${articleId})`,
  );
  const rows = await prisma.$queryRaw<{ request: number; headline: string }[]>(Prisma.join(branches, ' UNION ALL '));
  const headlines = requests.map(() => '');
  for (const row of rows) {
    headlines[row.request] = escapeHtml(row.headline)
      .replaceAll(MATCH_START, '<mark>')
      .replaceAll(MATCH_END, '</mark>');
  }
  return headlines;
}
