// Article: the node, its lookups, the filtered and ordered `articles` list, and the
// ArticleConnection every article list shares (with totalCount and facets).

import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { type ArticleFilter, type ArticleKey, type ArticleOrder, rankingText } from '../archive/article-queries.ts';
import type { Article as ArticleRow } from '../generated/prisma/client.ts';
import { builder, type Context } from './builder.ts';
import { ArticleFacets } from './facets.ts';
import { badInput, type ConnectionArgs, decodeCursor, encodeCursor, pageWindow, toConnection } from './pagination.ts';

export const Article = builder.prismaNode('Article', {
  id: { field: 'id' },
  // Select mode: a query reads only the columns its fields need. A list of titles then
  // no longer carries every body and paragraph array (and those of every related target).
  select: { id: true },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    category: t.relation('category', { nullable: true }),
    imageCredit: t.exposeString('imageCredit', {
      nullable: true,
      description: 'e.g. "4esnok.by" from a "Фото: 4esnok.by" line',
    }),
    lead: t.string({
      description: 'The first paragraph.',
      select: { paragraphs: true },
      resolve: (article) => article.paragraphs[0] ?? '',
    }),
    body: t.exposeString('body', { description: 'Paragraphs joined by a blank line.' }),
    paragraphs: t.exposeStringList('paragraphs'),
    wordCount: t.exposeInt('wordCount'),
    isStub: t.exposeBoolean('isStub', { description: 'Known only from a "Similar articles" excerpt on another page.' }),
    sourceDocuments: t.relation('sourceDocuments', { query: { orderBy: { ingestedAt: 'asc' } } }),
  }),
});

builder.prismaObject('SourceDocument', {
  fields: (t) => ({
    name: t.exposeString('name'),
    sha256: t.exposeString('sha256'),
    ingestedAt: t.expose('ingestedAt', { type: 'DateTime' }),
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
        resolve: (connection, _args, context) =>
          context.loaders.articleCounts.load((connection as unknown as ArticleListScope).filter),
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

function articleCursor(row: { id: number; publishedAt: Date; rank: number | null }, ranked: boolean): string {
  return ranked
    ? encodeCursor('rank', [row.rank!, row.id])
    : encodeCursor('date', [row.publishedAt.toISOString(), row.id]);
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

/**
 * Pages through the articles of a filter: one batched statement for the page's ids, one
 * for the articles with everything the query selects beneath `path` (joined by Prisma).
 */
export async function resolveArticlePage<Node>(
  context: Context,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  list: {
    filter: ArticleFilter;
    order: ArticleOrder;
    path: string[];
    toNode: (article: ArticleRow, rank: number | null) => Node;
  },
) {
  const ranked = rankingText(list) !== null;
  const window = pageWindow(args, decodeArticleCursor(ranked));
  const rows = await context.loaders.articlePages.load({
    filter: list.filter,
    order: list.order,
    from: window.from,
    backward: window.backward,
    limit: window.size + 1,
  });
  const query = queryFromInfo({ context, info, typeName: 'Article', path: list.path });
  const articles = await context.loaders.articles(query).loadMany(rows.slice(0, window.size).map((row) => row.id));
  const byId = new Map(articles.filter((a): a is ArticleRow => !!a && !(a instanceof Error)).map((a) => [a.id, a]));
  // An article deleted between the two statements drops out of the page.
  const present = rows.filter((row, i) => i >= window.size || byId.has(row.id));
  return toConnection(
    present,
    window,
    (row) => articleCursor(row, ranked),
    (row) => list.toNode(byId.get(row.id)!, row.rank),
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
  article: t.prismaField({
    type: 'Article',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.article.findUnique({ ...query, where: { slug: args.slug } }),
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
