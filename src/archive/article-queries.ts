// Read-side queries over articles: filtering, keyset pages in date or relevance order,
// counts, facets and search headlines. Each function takes many requests and answers
// them in one SQL statement (UNION ALL), so GraphQL can batch sibling fields with
// DataLoader and a request costs a fixed number of statements. No GraphQL here.

import type { SqlRunner } from '../db/sql.ts';
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
  /** Count the matches too (up to EXACT_COUNT_LIMIT + 1), in the same statement. */
  count: boolean;
}

/**
 * A whole number the server chose (a page size, a request's index) as an SQL literal,
 * not a parameter: a statement whose only values are these has no parameters, and
 * PostgreSQL plans its prepared form once instead of on each of its first executions.
 */
export function sqlInteger(value: number): Prisma.Sql {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return Prisma.raw(String(value));
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
 * What ranks a search: the query's positive words joined by OR (archive_ranking_query, a
 * SQL function of the search migration). A word the query excludes (`-Syria`) cannot
 * rank anything: ranked with it, every match of "Kremlin -Syria" had rank 1e-20.
 */
function rankingQuery(text: string): Prisma.Sql {
  return Prisma.sql`archive_ranking_query(${tsquery(text)})`;
}

/**
 * How a database ranks and orders the matches of a search. Both rank by `ts_rank` of the
 * query's positive words joined by OR: how often they occur, title words (weight A)
 * counting 2.5 times body words (B), each later occurrence of a word less.
 *
 * - `index`: PostgreSQL with the RUM extension. Its index (of full articles: a search that
 *   includes stubs ranks by a scan) returns matches in the order of
 *   its distance `<=>`, which for such an OR query is 1 / (n · ts_rank), n the number of
 *   words (both weigh each word's occurrences alike, and a title's words come before the
 *   body's); the rank shown is RUM's own score / n, so order and rank agree to the last
 *   bit. A page costs the matches' scores, computed from the index alone.
 * - `scan`: PGlite, or PostgreSQL without RUM: every match is ranked, then sorted.
 */
export type RankingStrategy = 'index' | 'scan';

/** The name of the RUM index the search migration creates where the extension exists. */
const RANKING_INDEX = 'Article_searchVector_rank_idx';
/** How often a database without the ranking index is asked again (it may gain one by a migration). */
const RECHECK_MS = 60_000;
const strategies = new WeakMap<SqlRunner, { strategy: RankingStrategy; checkedAt: number }>();

/** Whether this database ranks with the RUM index: asked once, and again now and then while it has none. */
export async function rankingStrategy(sql: SqlRunner): Promise<RankingStrategy> {
  const known = strategies.get(sql);
  if (known && (known.strategy === 'index' || Date.now() - known.checkedAt < RECHECK_MS)) return known.strategy;
  const [row] = await sql.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = $1::text) AS found',
    [RANKING_INDEX],
  );
  const strategy: RankingStrategy = row?.found ? 'index' : 'scan';
  strategies.set(sql, { strategy, checkedAt: Date.now() });
  return strategy;
}

function rankSql(text: string, strategy: RankingStrategy): Prisma.Sql {
  // float8, so the rank survives the round trip through a cursor exactly. Not rounded (the
  // float4 scores read 0.6079270839691162, not 0.607927): a rank coarser than the index's
  // distance makes ties the index does not see, so a page cut inside such a tie could skip
  // the hit whose id sorts first; rounded, the two strategies also differed by up to 5e-6.
  // A query without positive words ("-Putin") ranks every match 0.
  return strategy === 'index'
    ? Prisma.sql`coalesce(rum_ts_score(a."searchVector", ${rankingQuery(text)})::float8 / ((numnode(${rankingQuery(text)}) + 1) / 2), 0)`
    : Prisma.sql`coalesce(ts_rank(a."searchVector", ${rankingQuery(text)})::float8, 0)`;
}

/** RELEVANCE ranks by the search query, else by the filter's text; without text it is by date. */
export function rankingText(request: Pick<ArticlePageRequest, 'filter' | 'order'>): string | null {
  return request.order === 'RELEVANCE' ? (request.filter.searchText ?? request.filter.text ?? null) : null;
}

/**
 * Counts are exact up to this many articles; a larger set counts as this many and says so
 * (totalCountIsExact: false), as Elasticsearch's track_total_hits does: counting the
 * 50,000 matches of a common word exactly took longer than the rest of the request.
 */
export const EXACT_COUNT_LIMIT = 10_000;

/** A list's size as the API reports it: exact up to EXACT_COUNT_LIMIT, else that limit and `exact: false`. */
export interface ArticleCount {
  count: number;
  exact: boolean;
}

/** What cappedCountSql counted, as reported: the unfiltered count is always exact (see there). */
export function articleCountOf(filter: ArticleFilter, counted: number): ArticleCount {
  if (isAllFullArticles(filter) || counted <= EXACT_COUNT_LIMIT) return { count: counted, exact: true };
  return { count: EXACT_COUNT_LIMIT, exact: false };
}

/** How many articles match a filter, up to EXACT_COUNT_LIMIT + 1 (one more says "more than"). */
export function cappedCountSql(filter: ArticleFilter): Prisma.Sql {
  if (isAllFullArticles(filter)) {
    // Every full article has exactly one trend event and their sequence has no gaps, so
    // the largest sequence is the count: one index probe instead of a scan.
    return Prisma.sql`(SELECT coalesce(max(sequence), 0)::int FROM "TrendEvent")`;
  }
  return Prisma.sql`(SELECT count(*)::int FROM (SELECT 1 FROM "Article" a WHERE ${articleFilterSql(filter)}
    LIMIT ${sqlInteger(EXACT_COUNT_LIMIT + 1)}) counted)`;
}

/** A page's keyset rows for one request: a branch of a statement (UNION ALL joins many). */
export function pageSql(request: ArticlePageRequest, index: number, strategy: RankingStrategy): Prisma.Sql {
  const rankBy = rankingText(request);
  const rank = rankBy !== null ? rankSql(rankBy, strategy) : Prisma.sql`NULL::float8`;
  const conditions = [articleFilterSql(request.filter)];
  const ascending = request.order === 'PUBLISHED_AT_ASC';
  // Reading backwards flips the direction; the caller reverses the rows again.
  const descending = ascending === request.backward;
  const direction = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const beyond = descending ? Prisma.sql`<` : Prisma.sql`>`;
  const from = request.from;
  if (from && 'rank' in from) {
    conditions.push(Prisma.sql`(${rank}, a.id) ${beyond} (${from.rank}::float8, ${from.id}::int)`);
  }
  if (from && 'publishedAt' in from) {
    conditions.push(
      Prisma.sql`(a."publishedAt", a.id) ${beyond} (${new Date(from.publishedAt)}::timestamptz, ${from.id}::int)`,
    );
  }
  const where = Prisma.join(conditions, ' AND ');
  // The index holds full articles only (a stub's text is an excerpt, rewritten when its
  // page arrives: indexing it cost ingestion more than searching stubs by a scan costs).
  if (rankBy !== null && strategy === 'index' && descending && !request.filter.includeStubs) {
    // The index yields matches by its distance alone (ascending as the rank falls); the
    // planner would not combine that order with the id tie-breaker, and sorted every
    // match instead. So the index's order is read up to the page's last row and every
    // row tied with it (WITH TIES), and only those are sorted by (rank, id).
    const distance = Prisma.sql`a."searchVector" <=> ${rankingQuery(rankBy)}`;
    return Prisma.sql`(SELECT ${sqlInteger(index)} AS request, best.id, best.rank FROM (
      SELECT a.id, ${rank} AS rank FROM "Article" a WHERE ${where}
      ORDER BY ${distance} FETCH FIRST ${sqlInteger(request.limit)} ROWS WITH TIES) best
    ORDER BY best.rank DESC, best.id DESC LIMIT ${sqlInteger(request.limit)})`;
  }
  const orderBy =
    rankBy !== null
      ? Prisma.sql`${rank} ${direction}, a.id ${direction}`
      : Prisma.sql`a."publishedAt" ${direction}, a.id ${direction}`;
  return Prisma.sql`(SELECT ${sqlInteger(index)} AS request, a.id, ${rank} AS rank
    FROM "Article" a WHERE ${where}
    ORDER BY ${orderBy} LIMIT ${sqlInteger(request.limit)})`;
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

/** How many articles match each filter (see ArticleCount), in one statement. */
export async function countArticles(sql: SqlRunner, filters: readonly ArticleFilter[]): Promise<ArticleCount[]> {
  const branches = filters.map(
    (filter, i) => Prisma.sql`(SELECT ${sqlInteger(i)} AS request, ${cappedCountSql(filter)} AS count)`,
  );
  const statement = Prisma.join(branches, ' UNION ALL ');
  const rows = await sql.query<{ request: number; count: number }>(statement.text, statement.values);
  const counts = filters.map(() => 0);
  for (const row of rows) counts[row.request] = row.count;
  return counts.map((counted, i) => articleCountOf(filters[i]!, counted));
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
