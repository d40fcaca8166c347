// Per-request DataLoaders: sibling fields ask for what they need and each loader answers
// all of them in one statement, so a request's statement count does not grow with the
// number of parents. Articles are read with everything selected beneath them (see
// src/archive/article-reader.ts), batched per shape: one statement per distinct shape.

import DataLoader from 'dataloader';
import { aliasesOf, coActorsOf } from '../archive/actor-queries.ts';
import {
  type ArticleCount,
  type ArticleFilter,
  type ArticlePageRequest,
  articleCountOf,
  articleFacets,
  countArticles,
  type FacetCounts,
  type FacetRequest,
  rankingStrategy,
  rankingText,
  searchHeadlines,
} from '../archive/article-queries.ts';
import {
  type ArticlePageResult,
  type ArticleRecord,
  type ArticleShape,
  type LinkRecord,
  type LinkShape,
  linkShapeKey,
  readArticlePages,
  readArticles,
  readLinksById,
  shapeKey,
} from '../archive/article-reader.ts';
import type { SqlRunner } from '../db/sql.ts';
import type { Actor, PrismaClient } from '../generated/prisma/client.ts';

const byJson = { cacheKeyFn: (key: unknown) => JSON.stringify(key) };

/** One DataLoader per shape, made on first use: loads of equal shapes batch together. */
function perShape<Key, Value, Shape>(
  keyOf: (shape: Shape) => string,
  create: (shape: Shape) => DataLoader<Key, Value>,
): (shape: Shape) => DataLoader<Key, Value> {
  const loaders = new Map<string, DataLoader<Key, Value>>();
  return (shape) => {
    const key = keyOf(shape);
    let loader = loaders.get(key);
    if (!loader) {
      loader = create(shape);
      loaders.set(key, loader);
    }
    return loader;
  };
}

export function createLoaders(prisma: PrismaClient, sql: SqlRunner) {
  const articleCounts = new DataLoader<ArticleFilter, ArticleCount, string>(
    (filters) => countArticles(sql, filters),
    byJson,
  );
  return {
    /** Pages of articles with a shape; a page that counted its matches answers its totalCount too. */
    articlePages: perShape(
      shapeKey,
      (shape: ArticleShape) =>
        new DataLoader<ArticlePageRequest, ArticlePageResult, string>(async (requests) => {
          const ranked = requests.some((request) => rankingText(request) !== null);
          const pages = await readArticlePages(sql, requests, shape, ranked ? await rankingStrategy(sql) : 'scan');
          for (const [i, page] of pages.entries()) {
            if (page.total !== null)
              articleCounts.prime(requests[i]!.filter, articleCountOf(requests[i]!.filter, page.total));
          }
          return pages;
        }, byJson),
    ),
    articleCounts,
    articlesById: perShape(
      shapeKey,
      (shape: ArticleShape) =>
        new DataLoader<number, ArticleRecord | null>(async (ids) => {
          const found = await readArticles(sql, shape, 'id', ids);
          return ids.map((id) => found.get(id) ?? null);
        }),
    ),
    articlesBySlug: perShape(
      shapeKey,
      (shape: ArticleShape) =>
        new DataLoader<string, ArticleRecord | null>(async (slugs) => {
          const found = await readArticles(sql, shape, 'slug', slugs);
          return slugs.map((slug) => found.get(slug) ?? null);
        }),
    ),
    linksById: perShape(
      linkShapeKey,
      (shape: LinkShape) =>
        new DataLoader<number, LinkRecord | null>(async (ids) => {
          const found = await readLinksById(sql, shape, ids);
          return ids.map((id) => found.get(id) ?? null);
        }),
    ),
    articleFacets: new DataLoader<FacetRequest, FacetCounts, string>(
      (requests) => articleFacets(prisma, requests),
      byJson,
    ),
    headlines: new DataLoader<{ articleId: number; text: string }, string, string>(
      (requests) => searchHeadlines(prisma, requests),
      byJson,
    ),
    actorAliases: new DataLoader<number, string[]>((actorIds) => aliasesOf(sql, actorIds)),
    coActors: new DataLoader<{ actorId: number; limit: number }, { actor: Actor; sharedArticles: number }[], string>(
      (requests) => coActorsOf(prisma, requests),
      byJson,
    ),
  };
}

export type ArchiveLoaders = ReturnType<typeof createLoaders>;
