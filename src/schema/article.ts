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
import { BOUNDS, bounded } from './input-bounds.ts';
import { type ConnectionArgs, decodeCursor, encodeCursor, pageWindow, toConnection } from './pagination.ts';

export const Article = builder.objectRef<ArticleRecord>('Article');

const SourceDocument = builder.objectRef<SourceDocumentRecord>('SourceDocument').implement({
  description: 'A captured page the archive ingested. The same bytes ingested again add no second one.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Where the page came from, as the ingester named it (a file name or path).',
    }),
    sha256: t.exposeString('sha256', { description: "SHA-256 of the page's bytes, 64 lowercase hex digits." }),
    ingestedAt: t.expose('ingestedAt', { type: 'DateTime', description: 'When the page was stored.' }),
  }),
});

builder.node(Article, {
  description:
    'A short analytical article. A full article comes from its own page; a stub is known only from a "Similar articles" excerpt on another page, and becomes full (same id and slug) when its own page is ingested.',
  id: { resolve: (article) => article.id },
  // node/nodes: one statement for every id of a request (and its selection).
  loadWithoutCache: (id, context, info) => context.loaders.articlesById(articleShapeAt(info, [])).load(Number(id)),
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description:
        'Unique, URL-safe name made of the title and the publication date (lowercase ASCII letters, digits and hyphens), e.g. "minsk-aims-to-steer-clear-of-new-commitments-to-moscow-2017-08-07". Stable: look the article up with `article(slug:)`.',
    }),
    title: t.exposeString('title', { description: 'The headline, as on the page (without its category prefix).' }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      description: 'When the article was published, as the page states it (Minsk time), given in UTC.',
    }),
    imageCredit: t.exposeString('imageCredit', {
      nullable: true,
      description:
        'Credit of the article\'s image, e.g. "4esnok.by" from a "Фото: 4esnok.by" line; null when the page has none.',
    }),
    lead: t.exposeString('lead', { description: 'The first paragraph; an empty string when the article has none.' }),
    body: t.exposeString('body', {
      description: 'The whole text: the paragraphs joined by a blank line. For a stub, the excerpt only.',
    }),
    paragraphs: t.exposeStringList('paragraphs', {
      description: "The text, paragraph by paragraph, exactly as on the page. For a stub, the excerpt's paragraphs.",
    }),
    wordCount: t.exposeInt('wordCount', { description: 'Words in the paragraphs (runs of letters or digits).' }),
    isStub: t.exposeBoolean('isStub', {
      description:
        'True when the article is known only from a "Similar articles" excerpt on another page: its text is that excerpt, and it has no source documents.',
    }),
    sourceDocuments: t.field({
      type: [SourceDocument],
      description: 'The captured pages this article was stored from, oldest first; empty for a stub.',
      resolve: (article) => article.sourceDocuments,
    }),
  }),
});

const ArticleOrderEnum = builder.enumType('ArticleOrder', {
  description: 'The order of an article list; articles published at the same instant come by id.',
  values: {
    PUBLISHED_AT_DESC: { description: 'Newest first (the default).' },
    PUBLISHED_AT_ASC: { description: 'Oldest first.' },
    RELEVANCE: { description: 'Best match of `filter.text` first; newest first when there is no text.' },
  },
});

export const ArticleFilterInput = builder.inputType('ArticleFilter', {
  description:
    'Which articles a list holds: every condition given must hold. A slug that names nothing matches nothing (an empty list, not an error).',
  fields: (t) => ({
    category: t.string(
      bounded(BOUNDS.slug, 'Only articles in this category: its slug, e.g. "security" (see `categories`).'),
    ),
    actors: t.stringList(
      bounded(
        BOUNDS.actorSlugs,
        'Only articles that name every one of these actors: each an actor\'s slug or the slug of one of its aliases ("makey", "makei" and "vladimir-makei" are one person).',
      ),
    ),
    publishedAfter: t.field({
      type: 'DateTime',
      description: 'Only articles published at or after this instant (inclusive).',
    }),
    publishedBefore: t.field({
      type: 'DateTime',
      description: 'Only articles published before this instant (exclusive).',
    }),
    text: t.string(
      bounded(
        BOUNDS.searchText,
        'Only articles matching this full-text query, in web-search syntax: words (English stemming: "talks" finds "talk"), "a phrase", `or`, and `-word` to exclude. Title and body are searched.',
      ),
    ),
    includeStubs: t.boolean({
      defaultValue: false,
      description:
        'Also list stubs (articles known only from an excerpt); false, the default, lists full articles only.',
    }),
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
    description: 'A page of articles, with how many match in all and facets over all of them.',
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
        description: 'Counts of categories, actors and years over every matching article, not only this page.',
        resolve: (connection) => ({ filter: (connection as unknown as ArticleListScope).filter }),
      }),
    }),
  },
  { name: 'ArticleEdge', description: 'An article in a page of articles, with its cursor.' },
);

function articleCursor(row: { article: ArticleRecord; rank: number | null }, ranked: boolean): string {
  return ranked
    ? encodeCursor('rank', [row.rank!, row.article.id])
    : encodeCursor('date', [row.article.publishedAt, row.article.id]);
}

function decodeArticleCursor(ranked: boolean) {
  return (cursor: string): ArticleKey => {
    if (ranked) {
      const [rank, id] = decodeCursor('rank', cursor, ['score', 'key']) as [number, number];
      return { rank, id };
    }
    const [publishedAt, id] = decodeCursor('date', cursor, ['instant', 'key']) as [string, number];
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
    description: 'The article (full or stub) with this slug; null when none has it.',
    args: { slug: t.arg.string({ required: true, ...bounded(BOUNDS.slug, "The article's `slug`.") }) },
    resolve: (_root, args, context, info) => context.loaders.articlesBySlug(articleShapeAt(info, [])).load(args.slug),
  }),
  articles: t.connection(
    {
      type: Article,
      description:
        'Articles of the archive, newest first unless `orderBy` says otherwise; full articles only unless `filter.includeStubs`.',
      args: {
        filter: t.arg({
          type: ArticleFilterInput,
          description: 'Which articles to list; without it, every full article.',
        }),
        orderBy: t.arg({
          type: ArticleOrderEnum,
          defaultValue: 'PUBLISHED_AT_DESC',
          description: 'The order of the list. RELEVANCE ranks by `filter.text`.',
        }),
      },
      resolve: articleListField((_root, args) => ({ ...args.filter })) as never,
    },
    ArticleConnection,
  ),
}));
