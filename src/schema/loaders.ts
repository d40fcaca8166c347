// Per-request DataLoaders keyed by more than a parent id (filters, page requests, search
// text): sibling fields ask for what they need and each loader answers all of them in
// one statement, so a request's statement count does not grow with the number of
// parents. Fields keyed by a parent id alone use Pothos' loadable fields instead.

import DataLoader from 'dataloader';
import { coActorsOf } from '../archive/actor-queries.ts';
import {
  type ArticleFilter,
  type ArticlePageRequest,
  type ArticlePageRow,
  articleFacets,
  countArticles,
  type FacetCounts,
  type FacetRequest,
  findArticlePages,
  searchHeadlines,
} from '../archive/article-queries.ts';
import type { Actor, Article, PrismaClient } from '../generated/prisma/client.ts';

const byJson = { cacheKeyFn: (key: unknown) => JSON.stringify(key) };

export function createLoaders(prisma: PrismaClient) {
  /** Articles with the relations a GraphQL selection needs, batched per selection. */
  const articlesBySelection = new Map<string, DataLoader<number, Article | undefined>>();
  const articleCounts = new DataLoader<ArticleFilter, number, string>(
    (filters) => countArticles(prisma, filters),
    byJson,
  );
  return {
    articlePages: new DataLoader<ArticlePageRequest, ArticlePageRow[], string>(async (requests) => {
      const pages = await findArticlePages(prisma, requests);
      // A page that counted its matches answers its list's totalCount without another scan.
      for (const [i, page] of pages.entries()) {
        if (page.total !== null) articleCounts.prime(requests[i]!.filter, page.total);
      }
      return pages.map((page) => page.rows);
    }, byJson),
    articleCounts,
    articleFacets: new DataLoader<FacetRequest, FacetCounts, string>(
      (requests) => articleFacets(prisma, requests),
      byJson,
    ),
    headlines: new DataLoader<{ articleId: number; text: string }, string, string>(
      (requests) => searchHeadlines(prisma, requests),
      byJson,
    ),
    coActors: new DataLoader<{ actorId: number; limit: number }, { actor: Actor; sharedArticles: number }[], string>(
      (requests) => coActorsOf(prisma, requests),
      byJson,
    ),
    articles(query: object): DataLoader<number, Article | undefined> {
      const key = JSON.stringify(query);
      let loader = articlesBySelection.get(key);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const rows = (await prisma.article.findMany({ ...query, where: { id: { in: [...ids] } } })) as Article[];
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((id) => byId.get(id));
        });
        articlesBySelection.set(key, loader);
      }
      return loader;
    },
  };
}

export type ArchiveLoaders = ReturnType<typeof createLoaders>;
