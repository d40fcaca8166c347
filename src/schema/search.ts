// Full-text search: ranked hits with highlighted excerpts, paged by (rank, id).

import { EXACT_COUNT_LIMIT } from '../archive/article-queries.ts';
import type { ArticleRecord } from '../archive/article-reader.ts';
import { Article, ArticleFilterInput, resolveArticlePage } from './article.ts';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';

interface Hit {
  article: ArticleRecord;
  rank: number;
  query: string;
}

const SearchHit = builder.objectRef<Hit>('SearchHit').implement({
  description: 'An article that matches a search, with how well and where.',
  fields: (t) => ({
    article: t.field({ type: Article, description: 'The matching article.', resolve: (hit) => hit.article }),
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
    description:
      'A page of search hits, best first. Cursors hold (rank, id): paging through relevance order never skips or repeats a hit.',
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
  { name: 'SearchEdge', description: 'A search hit in a page of hits, with its cursor.' },
);

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHit,
      description:
        'Full-text search over titles and bodies, best match first (a title match weighs more than a body match), full articles only unless `filter.includeStubs`.',
      args: {
        query: t.arg.string({
          required: true,
          ...bounded(
            BOUNDS.searchText,
            'What to find, in web-search syntax: words (English stemming: "talks" finds "talk"), "a phrase", `or` between alternatives, `-word` to exclude. Any text is safe: operators it cannot read are taken as words.',
          ),
        }),
        filter: t.arg({
          type: ArticleFilterInput,
          description: 'Narrows the hits further; its `text` must match too.',
        }),
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
