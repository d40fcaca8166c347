// Reads articles together with everything a request selects beneath them (category,
// actors, related links and their target articles, ...) in ONE SQL statement, whatever
// the page sizes: each nested list is a correlated subquery aggregated to JSON, so the
// database returns one compact JSON array per article and the server parses it once.
//
// What to read is described by an ArticleShape, built by the GraphQL layer from a
// request's selection (src/schema/article-shape.ts); this module knows no GraphQL.
// Shapes nest: a related link's target is an article with a shape of its own.
//
// Why not the ORM here: for the API's main query Prisma's client cost about a third of
// the server's CPU, its statements were parsed and planned anew on every request, and
// its generic JSONB objects carried every column of every nested row. See
// docs/performance.md for the measurements; everything else still goes through Prisma.

import type { SqlRunner } from '../db/sql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { TextCorrection } from '../ingest/keyboard-layout.ts';
import {
  type ArticlePageRequest,
  cappedCountSql,
  pageSql,
  type RankingStrategy,
  sqlInteger,
} from './article-queries.ts';

/** Which rows of a keyset-paged list to read: `size` + 1 rows after `from` in the direction of travel. */
interface KeysetWindow<Key> {
  size: number;
  /** Rows strictly beyond this key, in the direction of travel; null: from the start (or end). */
  from: Key | null;
  /** Read towards the start of the list (`last`/`before`); rows come back in that direction. */
  backward: boolean;
}

type ActorKind = 'PERSON' | 'STATE' | 'ORGANIZATION';
type RelatedLinkKind = 'EDITORIAL' | 'COMPUTED';

export type ArticleColumn =
  | 'slug'
  | 'title'
  | 'publishedAt'
  | 'imageCredit'
  | 'paragraphs'
  | 'body'
  | 'wordCount'
  | 'isStub'
  | 'categoryId'
  | 'lead'
  | 'corrections';
export type CategoryColumn = 'slug' | 'name';
export type ActorColumn = 'slug' | 'name' | 'kind' | 'aliases';
export type LinkColumn = 'position' | 'kind' | 'score' | 'sourceId' | 'targetId';

/** A mention's place in an article's actor list: most mentioned first, then by actor id. */
export interface MentionKey {
  count: number;
  actorId: number;
}

export interface ActorPageShape {
  window: KeysetWindow<MentionKey>;
  kind: ActorKind | null;
  actor: ReadonlySet<ActorColumn>;
  total: boolean;
}

export interface RelatedPageShape {
  /** Keyed by position: editorial links in page order, computed ones after. */
  window: KeysetWindow<number>;
  link: ReadonlySet<LinkColumn>;
  target: ArticleShape | null;
  source: ArticleShape | null;
  total: boolean;
}

export interface ArticleShape {
  columns: ReadonlySet<ArticleColumn>;
  category: ReadonlySet<CategoryColumn> | null;
  sourceDocuments: boolean;
  /** Article.actors pages, by the response key of their field (a query may alias several). */
  actorPages: ReadonlyMap<string, ActorPageShape>;
  /** Article.related pages, likewise. */
  relatedPages: ReadonlyMap<string, RelatedPageShape>;
}

/** A nested list as read: `size` + 1 rows at most, in the direction of travel. */
interface PageRecord<Row> {
  rows: Row[];
  /** Rows of the whole list, when the shape asked for it. */
  total: number | null;
}

interface CategoryRecord {
  id: number;
  slug: string;
  name: string;
}

interface ActorRecord {
  id: number;
  slug: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
}

interface MentionRecord {
  count: number;
  actor: ActorRecord;
}

export interface SourceDocumentRecord {
  name: string;
  sha256: string;
  /** ISO-8601 in UTC, as the API prints it. */
  ingestedAt: string;
}

export interface LinkRecord {
  id: number;
  position: number;
  kind: RelatedLinkKind;
  score: number | null;
  sourceId: number;
  targetId: number;
  target: ArticleRecord | null;
  source: ArticleRecord | null;
}

/**
 * An article as read for a shape. Like a Prisma `select`, only what the shape asked for
 * is filled in: the GraphQL layer reads nothing else (the selection made the shape).
 */
export interface ArticleRecord {
  id: number;
  slug: string;
  title: string;
  /** ISO-8601 in UTC with milliseconds, as the API prints it. */
  publishedAt: string;
  imageCredit: string | null;
  paragraphs: string[];
  body: string;
  wordCount: number;
  isStub: boolean;
  categoryId: number | null;
  lead: string;
  /** The parser's repairs of the captured text (src/ingest/keyboard-layout.ts). */
  corrections: TextCorrection[];
  category: CategoryRecord | null;
  sourceDocuments: SourceDocumentRecord[];
  actorPages: Record<string, PageRecord<MentionRecord>>;
  relatedPages: Record<string, PageRecord<LinkRecord>>;
}

/** A stable string for a shape: equal shapes read in one statement, and name one prepared statement. */
export function shapeKey(shape: ArticleShape): string {
  return JSON.stringify(shapeAsJson(shape));
}

function shapeAsJson(shape: ArticleShape | null): unknown {
  if (!shape) return null;
  return [
    [...shape.columns].sort(),
    shape.category && [...shape.category].sort(),
    shape.sourceDocuments,
    [...shape.actorPages]
      .sort(byKey)
      .map(([key, page]) => [key, page.window, page.kind, [...page.actor].sort(), page.total]),
    [...shape.relatedPages]
      .sort(byKey)
      .map(([key, page]) => [
        key,
        page.window,
        [...page.link].sort(),
        shapeAsJson(page.target),
        shapeAsJson(page.source),
        page.total,
      ]),
  ];
}

function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// SQL: a shape becomes one json_build_array(...) expression over an "Article" alias, and a
// decoder that turns the parsed array back into an ArticleRecord, element by element.

type Decoder<Target> = (target: Target, value: unknown) => void;

interface Projection<Target> {
  sql: Prisma.Sql;
  decode(values: unknown[]): Target;
}

/** The API's DateTime format (Date#toISOString) computed by PostgreSQL, so no Date is built per value. */
function isoTimestamp(column: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** Builds `json_build_array(parts...)` and a decoder assigning each element in turn. */
class ArrayBuilder<Target> {
  private readonly parts: Prisma.Sql[] = [];
  private readonly decoders: Decoder<Target>[] = [];

  add(sql: Prisma.Sql, decode: Decoder<Target>): void {
    this.parts.push(sql);
    this.decoders.push(decode);
  }

  build(create: () => Target): Projection<Target> {
    const decoders = this.decoders;
    return {
      sql: Prisma.sql`json_build_array(${Prisma.join(this.parts, ', ')})`,
      decode(values) {
        const target = create();
        for (let i = 0; i < decoders.length; i++) decoders[i]!(target, values[i]);
        return target;
      },
    };
  }
}

const ARTICLE_COLUMN_SQL: Record<ArticleColumn, (alias: string) => Prisma.Sql> = {
  slug: (a) => Prisma.raw(`${a}.slug`),
  title: (a) => Prisma.raw(`${a}.title`),
  publishedAt: (a) => isoTimestamp(`${a}."publishedAt"`),
  imageCredit: (a) => Prisma.raw(`${a}."imageCredit"`),
  paragraphs: (a) => Prisma.raw(`${a}.paragraphs`),
  body: (a) => Prisma.raw(`${a}.body`),
  wordCount: (a) => Prisma.raw(`${a}."wordCount"`),
  isStub: (a) => Prisma.raw(`${a}."isStub"`),
  categoryId: (a) => Prisma.raw(`${a}."categoryId"`),
  lead: (a) => Prisma.raw(`coalesce(${a}.paragraphs[1], '')`),
  corrections: (a) => Prisma.raw(`${a}.corrections`),
};

function newArticle(): ArticleRecord {
  return { actorPages: {}, relatedPages: {} } as ArticleRecord;
}

/** Table aliases are numbered by depth, so nested projections never shadow their parents. */
class Aliases {
  private next = 0;
  take(prefix: string): string {
    return `${prefix}${this.next++}`;
  }
}

function articleProjection(shape: ArticleShape, a: string, aliases: Aliases): Projection<ArticleRecord> {
  const builder = new ArrayBuilder<ArticleRecord>();
  builder.add(Prisma.raw(`${a}.id`), (article, value) => {
    article.id = value as number;
  });
  for (const column of [...shape.columns].sort()) {
    builder.add(ARTICLE_COLUMN_SQL[column](a), (article, value) => {
      (article as unknown as Record<string, unknown>)[column] = value;
    });
  }
  if (shape.category) {
    const category = categoryProjection(shape.category, aliases.take('c'), a);
    builder.add(category.sql, (article, value) => {
      article.category = value === null ? null : category.decode(value as unknown[]);
    });
  }
  if (shape.sourceDocuments) {
    const d = aliases.take('d');
    builder.add(
      Prisma.sql`(SELECT coalesce(json_agg(json_build_array(${Prisma.raw(`${d}.name, ${d}.sha256`)}, ${isoTimestamp(`${d}."ingestedAt"`)})
        ORDER BY ${Prisma.raw(`${d}."ingestedAt", ${d}.id`)}), '[]'::json)
        FROM "SourceDocument" ${Prisma.raw(d)} WHERE ${Prisma.raw(`${d}."articleId" = ${a}.id`)})`,
      (article, value) => {
        article.sourceDocuments = (value as [string, string, string][]).map(([name, sha256, ingestedAt]) => ({
          name,
          sha256,
          ingestedAt,
        }));
      },
    );
  }
  for (const [key, page] of [...shape.actorPages].sort(byKey)) {
    const read = actorPageSql(page, a, aliases);
    builder.add(read.sql, (article, value) => {
      article.actorPages[key] = read.decode(value as unknown[]);
    });
  }
  for (const [key, page] of [...shape.relatedPages].sort(byKey)) {
    const read = relatedPageSql(page, a, aliases);
    builder.add(read.sql, (article, value) => {
      article.relatedPages[key] = read.decode(value as unknown[]);
    });
  }
  return builder.build(newArticle);
}

/** The article's category as a JSON array (null without one). */
function categoryProjection(columns: ReadonlySet<CategoryColumn>, c: string, a: string): Projection<CategoryRecord> {
  const builder = new ArrayBuilder<CategoryRecord>();
  builder.add(Prisma.raw(`${c}.id`), (category, value) => {
    category.id = value as number;
  });
  for (const column of [...columns].sort()) {
    builder.add(Prisma.raw(`${c}.${column}`), (category, value) => {
      category[column] = value as string;
    });
  }
  const projection = builder.build(() => ({}) as CategoryRecord);
  return {
    sql: Prisma.sql`(SELECT ${projection.sql} FROM "Category" ${Prisma.raw(`${c} WHERE ${c}.id = ${a}."categoryId"`)})`,
    decode: projection.decode,
  };
}

/** Keyset condition for a list ordered by `(count DESC, actorId ASC)`, read in either direction. */
function mentionKeyset(window: KeysetWindow<MentionKey>, m: string): Prisma.Sql {
  if (!window.from) return Prisma.empty;
  const { count, actorId } = window.from;
  return window.backward
    ? Prisma.sql` AND (${Prisma.raw(`${m}.count`)} > ${count}::int OR (${Prisma.raw(`${m}.count`)} = ${count}::int AND ${Prisma.raw(`${m}."actorId"`)} < ${actorId}::int))`
    : Prisma.sql` AND (${Prisma.raw(`${m}.count`)} < ${count}::int OR (${Prisma.raw(`${m}.count`)} = ${count}::int AND ${Prisma.raw(`${m}."actorId"`)} > ${actorId}::int))`;
}

function actorPageSql(page: ActorPageShape, a: string, aliases: Aliases): Projection<PageRecord<MentionRecord>> {
  const m = aliases.take('m');
  const ac = aliases.take('ac');
  const order = page.window.backward
    ? Prisma.raw(`${m}.count ASC, ${m}."actorId" DESC`)
    : Prisma.raw(`${m}.count DESC, ${m}."actorId" ASC`);
  const kind = page.kind
    ? Prisma.sql` AND ${Prisma.raw(`${m}."actorId"`)} IN (SELECT id FROM "Actor" WHERE kind = ${page.kind}::"ActorKind")`
    : Prisma.empty;
  const actor = new ArrayBuilder<ActorRecord>();
  actor.add(Prisma.raw(`${ac}.id`), (record, value) => {
    record.id = value as number;
  });
  for (const column of [...page.actor].sort()) {
    const sql =
      column === 'aliases'
        ? Prisma.raw(`ARRAY(SELECT surface FROM "ActorAlias" WHERE "actorId" = ${ac}.id ORDER BY id)`)
        : Prisma.raw(`${ac}.${column}`);
    actor.add(sql, (record, value) => {
      (record as unknown as Record<string, unknown>)[column] = value;
    });
  }
  const actorProjection = actor.build(() => ({}) as ActorRecord);
  const rows = Prisma.sql`(SELECT coalesce(json_agg(json_build_array(${Prisma.raw(`${m}.count`)}, ${actorProjection.sql}) ORDER BY ${order}), '[]'::json)
    FROM (SELECT ${Prisma.raw(`${m}.count, ${m}."actorId"`)} FROM "Mention" ${Prisma.raw(m)}
      WHERE ${Prisma.raw(`${m}."articleId" = ${a}.id`)}${kind}${mentionKeyset(page.window, m)}
      ORDER BY ${order} LIMIT ${sqlInteger(page.window.size + 1)}) ${Prisma.raw(m)}
    JOIN "Actor" ${Prisma.raw(ac)} ON ${Prisma.raw(`${ac}.id = ${m}."actorId"`)})`;
  const mt = aliases.take('mt');
  const total = Prisma.sql`(SELECT count(*)::int FROM "Mention" ${Prisma.raw(mt)} WHERE ${Prisma.raw(`${mt}."articleId" = ${a}.id`)}${
    page.kind
      ? Prisma.sql` AND ${Prisma.raw(`${mt}."actorId"`)} IN (SELECT id FROM "Actor" WHERE kind = ${page.kind}::"ActorKind")`
      : Prisma.empty
  })`;
  return {
    sql: page.total ? Prisma.sql`json_build_array(${rows}, ${total})` : Prisma.sql`json_build_array(${rows})`,
    decode: ([rowValues, totalValue]) => ({
      rows: (rowValues as [number, unknown[]][]).map(([count, actorValues]) => ({
        count,
        actor: actorProjection.decode(actorValues),
      })),
      total: page.total ? (totalValue as number) : null,
    }),
  };
}

export type LinkShape = Pick<RelatedPageShape, 'link' | 'target' | 'source'>;

export function linkShapeKey(shape: LinkShape): string {
  return JSON.stringify([[...shape.link].sort(), shapeAsJson(shape.target), shapeAsJson(shape.source)]);
}

/** A related link `l` as a JSON array, with the joins its two articles need. */
function linkProjection(shape: LinkShape, l: string, aliases: Aliases) {
  const link = new ArrayBuilder<LinkRecord>();
  link.add(Prisma.raw(`${l}.id`), (record, value) => {
    record.id = value as number;
  });
  for (const column of [...shape.link].sort()) {
    link.add(Prisma.raw(`${l}."${column}"`), (record, value) => {
      (record as unknown as Record<string, unknown>)[column] = value;
    });
  }
  const joins: Prisma.Sql[] = [];
  for (const [side, ends, column] of [
    ['target', shape.target, 'targetId'],
    ['source', shape.source, 'sourceId'],
  ] as const) {
    if (!ends) continue;
    const alias = aliases.take('a');
    const article = articleProjection(ends, alias, aliases);
    link.add(article.sql, (record, value) => {
      record[side] = article.decode(value as unknown[]);
    });
    joins.push(Prisma.raw(` JOIN "Article" ${alias} ON ${alias}.id = ${l}."${column}"`));
  }
  return {
    projection: link.build(() => ({ target: null, source: null }) as LinkRecord),
    joins: joins.length ? Prisma.join(joins, '') : Prisma.empty,
  };
}

function relatedPageSql(page: RelatedPageShape, a: string, aliases: Aliases): Projection<PageRecord<LinkRecord>> {
  const l = aliases.take('l');
  const order = Prisma.raw(`${l}.position ${page.window.backward ? 'DESC' : 'ASC'}`);
  const keyset =
    page.window.from === null
      ? Prisma.empty
      : Prisma.sql` AND ${Prisma.raw(`${l}.position`)} ${Prisma.raw(page.window.backward ? '<' : '>')} ${page.window.from}::int`;
  const { projection, joins } = linkProjection(page, l, aliases);
  const rows = Prisma.sql`(SELECT coalesce(json_agg(${projection.sql} ORDER BY ${order}), '[]'::json)
    FROM (SELECT * FROM "RelatedLink" ${Prisma.raw(l)} WHERE ${Prisma.raw(`${l}."sourceId" = ${a}.id`)}${keyset}
      ORDER BY ${order} LIMIT ${sqlInteger(page.window.size + 1)}) ${Prisma.raw(l)}${joins})`;
  const lt = aliases.take('lt');
  const total = Prisma.sql`(SELECT count(*)::int FROM "RelatedLink" ${Prisma.raw(lt)} WHERE ${Prisma.raw(`${lt}."sourceId" = ${a}.id`)})`;
  return {
    sql: page.total ? Prisma.sql`json_build_array(${rows}, ${total})` : Prisma.sql`json_build_array(${rows})`,
    decode: ([rowValues, totalValue]) => ({
      rows: (rowValues as unknown[][]).map((values) => projection.decode(values)),
      total: page.total ? (totalValue as number) : null,
    }),
  };
}

/**
 * The projection of the article `alias` for a shape: an SQL expression (a JSON array) for
 * the select list of a statement over "Article" `alias`, and its decoder.
 */
function articleProjectionSql(shape: ArticleShape, alias: string): Projection<ArticleRecord> {
  return articleProjection(shape, alias, new Aliases());
}

/** Related links by id with a shape, in one statement; missing ids are absent from the map. */
export async function readLinksById(
  sql: SqlRunner,
  shape: LinkShape,
  ids: readonly number[],
): Promise<Map<number, LinkRecord>> {
  if (ids.length === 0) return new Map();
  const { projection, joins } = linkProjection(shape, 'l', new Aliases());
  const statement = Prisma.sql`SELECT ${projection.sql} AS link FROM "RelatedLink" l${joins} WHERE l.id = ANY(${[...ids]}::int[])`;
  const rows = await sql.query<{ link: unknown[] }>(statement.text, statement.values);
  return new Map(
    rows.map((row) => {
      const link = projection.decode(row.link);
      return [link.id, link];
    }),
  );
}

/** Articles by id or by slug with a shape, in one statement; keyed by what was asked; missing ones absent. */
export async function readArticles<Key extends number | string>(
  sql: SqlRunner,
  shape: ArticleShape,
  by: Key extends number ? 'id' : 'slug',
  keys: readonly Key[],
): Promise<Map<Key, ArticleRecord>> {
  if (keys.length === 0) return new Map();
  const byId = by === 'id';
  const full =
    byId || shape.columns.has('slug') ? shape : { ...shape, columns: new Set([...shape.columns, 'slug' as const]) };
  const projection = articleProjectionSql(full, 'a');
  const where = byId ? Prisma.sql`a.id = ANY(${[...keys]}::int[])` : Prisma.sql`a.slug = ANY(${[...keys]}::text[])`;
  const statement = Prisma.sql`SELECT ${projection.sql} AS article FROM "Article" a WHERE ${where}`;
  const rows = await sql.query<{ article: unknown[] }>(statement.text, statement.values);
  const found = new Map<Key, ArticleRecord>();
  for (const row of rows) {
    const article = projection.decode(row.article);
    found.set((byId ? article.id : article.slug) as Key, article);
  }
  return found;
}

export interface ArticlePageResult {
  /** `limit` rows at most, in the direction of travel. */
  rows: { article: ArticleRecord; rank: number | null }[];
  /** Matches of the filter up to EXACT_COUNT_LIMIT + 1, when the request counted. */
  total: number | null;
}

/**
 * Pages of articles, each with everything `shape` selects: one statement for all the
 * requests (they share the shape). The keyset rows of each request (pageSql) are joined
 * to their articles, and the whole tree beneath comes back as one JSON array per article.
 */
export async function readArticlePages(
  sql: SqlRunner,
  requests: readonly ArticlePageRequest[],
  shape: ArticleShape,
  strategy: RankingStrategy,
): Promise<ArticlePageResult[]> {
  const projection = articleProjectionSql(shape, 'a');
  // row_number() over each limited branch keeps its order through the join, and tells
  // the page's rows from the one read past it (which only says that more follow, and is
  // not projected). A request that counts has one more row, without an article, holding
  // the count: an empty page still answers its totalCount.
  const branches = requests.flatMap((request, i) => [
    Prisma.sql`(SELECT b.*, NULL::int AS total, row_number() OVER () AS n FROM ${pageSql(request, i, strategy)} b)`,
    ...(request.count
      ? [Prisma.sql`(SELECT ${sqlInteger(i)}, NULL::int, NULL::float8, ${cappedCountSql(request.filter)}, 0::bigint)`]
      : []),
  ]);
  const limits = Prisma.join(
    requests.map((request, i) => Prisma.sql`(${sqlInteger(i)}, ${sqlInteger(request.limit)})`),
    ', ',
  );
  const statement = Prisma.sql`SELECT p.request, p.id, p.rank, p.total,
      CASE WHEN p.n < l.size THEN ${projection.sql} END AS article
    FROM (${Prisma.join(branches, ' UNION ALL ')}) p JOIN (VALUES ${limits}) l(request, size) ON l.request = p.request
    LEFT JOIN "Article" a ON a.id = p.id
    ORDER BY p.request, p.n`;
  const rows = await sql.query<{
    request: number;
    id: number | null;
    rank: number | null;
    total: number | null;
    article: unknown[] | null;
  }>(statement.text, statement.values);
  const pages: ArticlePageResult[] = requests.map(() => ({ rows: [], total: null }));
  for (const row of rows) {
    const page = pages[row.request]!;
    if (row.total !== null) page.total = row.total;
    else if (row.article) page.rows.push({ article: projection.decode(row.article), rank: row.rank });
    // The row past the page: only that it exists matters (another page follows).
    else page.rows.push({ article: { id: row.id } as ArticleRecord, rank: row.rank });
  }
  return pages;
}
