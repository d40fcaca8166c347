// Full-text search: ranked hits with highlighted excerpts, paged by (rank, id).

import { EXACT_COUNT_LIMIT } from '../archive/article-queries.ts';
import type { ArticleRecord } from '../archive/article-reader.ts';
import { Article, ArticleFilterInput, resolveArticlePage } from './article.ts';
import { builder } from './builder.ts';

interface Hit {
  article: ArticleRecord;
  rank: number;
  query: string;
}

const SearchHit = builder.objectRef<Hit>('SearchHit').implement({
  fields: (t) => ({
    article: t.field({ type: Article, resolve: (hit) => hit.article }),
    rank: t.exposeFloat('rank', {
      description:
        "How well the article matches, higher is better: PostgreSQL's ts_rank of the query's words (those it does not exclude with -), each word weighing by how often it occurs, a title word 2.5 times a body word. Comparable within one search, not across searches.",
    }),
    headline: t.string({
      description: 'Body excerpt with the matches wrapped in <mark>…</mark>; all other text is HTML-escaped.',
      resolve: (hit, _args, context) => context.loaders.headlines.load({ articleId: hit.article.id, text: hit.query }),
    }),
  }),
});

const SearchConnection = builder.connectionObject(
  {
    type: SearchHit,
    name: 'SearchConnection',
    description: 'Cursors encode (rank, id): paging through relevance order is stable.',
    fields: (t) => ({
      totalCount: t.int({
        description: `Matching articles, exact up to ${EXACT_COUNT_LIMIT.toLocaleString('en-US')}; more matches report ${EXACT_COUNT_LIMIT.toLocaleString('en-US')} (see totalCountIsExact).`,
        resolve: async (connection, _args, context) =>
          (await context.loaders.articleCounts.load((connection as unknown as { filter: object }).filter)).count,
      }),
      totalCountIsExact: t.boolean({
        description: `False when more than ${EXACT_COUNT_LIMIT.toLocaleString('en-US')} articles match and totalCount reports only that many.`,
        resolve: async (connection, _args, context) =>
          (await context.loaders.articleCounts.load((connection as unknown as { filter: object }).filter)).exact,
      }),
    }),
  },
  { name: 'SearchEdge' },
);

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHit,
      description: 'Articles matching a web-search query ("phrase", or, -not), best first.',
      args: {
        query: t.arg.string({ required: true }),
        filter: t.arg({ type: ArticleFilterInput }),
      },
      resolve: async (_root, args, context, info) => {
        const filter = { ...args.filter, searchText: args.query };
        const connection = await resolveArticlePage(context, info, args, {
          filter,
          order: 'RELEVANCE',
          path: ['edges', 'node', 'article'],
          toNode: (article, rank): Hit => ({ article, rank: rank ?? 0, query: args.query }),
        });
        return { ...connection, filter };
      },
    },
    SearchConnection,
  ),
}));
