// Full-text search: ranked hits with highlighted excerpts, paged by (rank, id).

import type { Article as ArticleRow } from '../generated/prisma/client.ts';
import { Article, ArticleFilterInput, resolveArticlePage } from './article.ts';
import { builder } from './builder.ts';

interface Hit {
  article: ArticleRow;
  rank: number;
  query: string;
}

const SearchHit = builder.objectRef<Hit>('SearchHit').implement({
  fields: (t) => ({
    article: t.field({ type: Article, resolve: (hit) => hit.article }),
    rank: t.exposeFloat('rank', {
      description: 'PostgreSQL ts_rank of the match (title words weigh more than body words); higher is better.',
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
        resolve: (connection, _args, context) =>
          context.loaders.articleCounts.load((connection as unknown as { filter: object }).filter),
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
