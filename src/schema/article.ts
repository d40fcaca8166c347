// Article: the node, its lookups, the filtered and ordered `articles` list, and the
// ArticleConnection every article list shares (with totalCount and facets).
//
// Articles are read by the article reader (src/archive/article-reader.ts): each list, and
// each lookup, in one statement with everything the request selects beneath it (its
// shape, see article-shape.ts). Nested fields then resolve from what was read.

import type { GraphQLResolveInfo } from 'graphql';
import {
  type ArticleFilter,
  type ArticleKey,
  type ArticleOrder,
  EXACT_COUNT_LIMIT,
  rankingText,
} from '../archive/article-queries.ts';
import type { ArticleRecord, ArticleShape, SourceDocumentRecord } from '../archive/article-reader.ts';
import { articleShapeAt, connectionSelects } from './article-shape.ts';
import { builder, type Context } from './builder.ts';
import { ArticleFacets } from './facets.ts';
import { badInput, type ConnectionArgs, decodeCursor, encodeCursor, pageWindow, toConnection } from './pagination.ts';

export const Article = builder.objectRef<ArticleRecord>('Article');

const SourceDocument = builder.objectRef<SourceDocumentRecord>('SourceDocument').implement({
  description: 'A captured page this article was read from.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the page was ingested under, e.g. its file name.' }),
    sha256: t.exposeString('sha256', { description: "SHA-256 of the page's bytes, hex." }),
    ingestedAt: t.expose('ingestedAt', { type: 'DateTime', description: 'When the page was (last) ingested.' }),
  }),
});

builder.node(Article, {
  id: { resolve: (article) => article.id },
  // node/nodes: one statement for every id of a request (and its selection).
  loadWithoutCache: (id, context, info) => context.loaders.articlesById(articleShapeAt(info, [])).load(Number(id)),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    imageCredit: t.exposeString('imageCredit', {
      nullable: true,
      description: 'e.g. "4esnok.by" from a "Фото: 4esnok.by" line',
    }),
    lead: t.exposeString('lead', { description: 'The first paragraph.' }),
    body: t.exposeString('body', { description: 'Paragraphs joined by a blank line.' }),
    paragraphs: t.exposeStringList('paragraphs'),
    wordCount: t.exposeInt('wordCount'),
    isStub: t.exposeBoolean('isStub', { description: 'Known only from a "Similar articles" excerpt on another page.' }),
    sourceDocuments: t.field({ type: [SourceDocument], resolve: (article) => article.sourceDocuments }),
  }),
});

const ArticleOrderEnum = builder.enumType('ArticleOrder', {
  values: {
    PUBLISHED_AT_DESC: { description: 'Newest first.' },
    PUBLISHED_AT_ASC: { description: 'Oldest first.' },
    RELEVANCE: { description: 'Best match of `filter.text` first; newest first when there is no text.' },
  },
});

export const ArticleFilterInput = builder.inputType('ArticleFilter', {
  fields: (t) => ({
    category: t.string({ description: 'Category slug.' }),
    actors: t.stringList({ description: 'Actor slugs (aliases accepted); an article must mention all of them.' }),
    publishedAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    publishedBefore: t.field({ type: 'DateTime', description: 'Exclusive.' }),
    text: t.string({ description: 'Full-text query (web-search syntax: "phrase", or, -not).' }),
    includeStubs: t.boolean({ defaultValue: false, description: 'Stubs: articles known only from an excerpt.' }),
  }),
});

/** What an ArticleConnection holds besides its page: the set it pages through. */
export interface ArticleListScope {
  filter: ArticleFilter;
}

export const ArticleConnection = builder.connectionObject(
  {
    type: Article,
    name: 'ArticleConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: `Articles in the whole list, exact up to ${EXACT_COUNT_LIMIT.toLocaleString('en-US')}; a larger list reports ${EXACT_COUNT_LIMIT.toLocaleString('en-US')} (see totalCountIsExact).`,
        resolve: async (connection, _args, context) =>
          (await context.loaders.articleCounts.load((connection as unknown as ArticleListScope).filter)).count,
      }),
      totalCountIsExact: t.boolean({
        description: `False when the list holds more than ${EXACT_COUNT_LIMIT.toLocaleString('en-US')} articles and totalCount reports only that many (counting a common word's 50,000 matches exactly would cost more than the page).`,
        resolve: async (connection, _args, context) =>
          (await context.loaders.articleCounts.load((connection as unknown as ArticleListScope).filter)).exact,
      }),
      facets: t.field({
        type: ArticleFacets,
        description: 'Counts over the whole filtered set, not the page.',
        resolve: (connection) => ({ filter: (connection as unknown as ArticleListScope).filter }),
      }),
    }),
  },
  { name: 'ArticleEdge' },
);

function articleCursor(row: { article: ArticleRecord; rank: number | null }, ranked: boolean): string {
  return ranked
    ? encodeCursor('rank', [row.rank!, row.article.id])
    : encodeCursor('date', [row.article.publishedAt, row.article.id]);
}

function decodeArticleCursor(ranked: boolean) {
  return (cursor: string): ArticleKey => {
    if (ranked) {
      const [rank, id] = decodeCursor('rank', cursor, ['number', 'number']) as [number, number];
      return { rank, id };
    }
    const [publishedAt, id] = decodeCursor('date', cursor, ['string', 'number']) as [string, number];
    if (Number.isNaN(Date.parse(publishedAt))) throw badInput(`invalid cursor "${cursor.slice(0, 60)}"`);
    return { publishedAt, id };
  };
}

/** A date-ordered list needs each article's publication time for its cursors. */
function withPublishedAt(shape: ArticleShape): ArticleShape {
  return shape.columns.has('publishedAt') ? shape : { ...shape, columns: new Set([...shape.columns, 'publishedAt']) };
}

/**
 * Pages through the articles of a filter: one statement for the page, the articles with
 * everything selected beneath `path`, and (when the connection asks) the count.
 */
export async function resolveArticlePage<Node>(
  context: Context,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  list: {
    filter: ArticleFilter;
    order: ArticleOrder;
    path: string[];
    toNode: (article: ArticleRecord, rank: number | null) => Node;
  },
) {
  const ranked = rankingText(list) !== null;
  const window = pageWindow(args, decodeArticleCursor(ranked));
  const shape = articleShapeAt(info, list.path);
  const page = await context.loaders.articlePages(ranked ? shape : withPublishedAt(shape)).load({
    filter: list.filter,
    order: list.order,
    from: window.from,
    backward: window.backward,
    limit: window.size + 1,
    count: connectionSelects(info, 'totalCount') || connectionSelects(info, 'totalCountIsExact'),
  });
  return toConnection(
    page.rows,
    window,
    (row) => articleCursor(row, ranked),
    (row) => list.toNode(row.article, row.rank),
  );
}

export function articleListField(filterOf: (parent: never, args: { filter?: ArticleFilter | null }) => ArticleFilter) {
  return async (
    parent: unknown,
    args: ConnectionArgs & { filter?: ArticleFilter | null; orderBy?: ArticleOrder | null },
    context: Context,
    info: GraphQLResolveInfo,
  ) => {
    const filter = filterOf(parent as never, args);
    const connection = await resolveArticlePage(context, info, args, {
      filter,
      order: args.orderBy ?? 'PUBLISHED_AT_DESC',
      path: ['edges', 'node'],
      toNode: (article) => article,
    });
    return { ...connection, filter } satisfies ArticleListScope & object;
  };
}

builder.queryFields((t) => ({
  article: t.field({
    type: Article,
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, args, context, info) => context.loaders.articlesBySlug(articleShapeAt(info, [])).load(args.slug),
  }),
  articles: t.connection(
    {
      type: Article,
      args: {
        filter: t.arg({ type: ArticleFilterInput }),
        orderBy: t.arg({ type: ArticleOrderEnum, defaultValue: 'PUBLISHED_AT_DESC' }),
      },
      resolve: articleListField((_root, args) => ({ ...args.filter })) as never,
    },
    ArticleConnection,
  ),
}));
