// The baseline `npm run bench` compares against: the same reference query answered by
// plain resolvers over the same Prisma client, one query per parent field, the way a
// first GraphQL server is usually written. No DataLoaders, no selection-aware queries.
// Single rows are read with findFirst, not findUnique: Prisma batches the findUnique
// calls of one tick into one query (a DataLoader of its own), which made this baseline
// send 53 statements for the reference query instead of one per parent field (167).

import { createSchema, createYoga } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';

const typeDefs = /* GraphQL */ `
  type Query { articles(first: Int = 20): ArticleConnection! }
  type ArticleConnection { totalCount: Int! edges: [ArticleEdge!]! }
  type ArticleEdge { node: Article! }
  type Article {
    id: Int! title: String! publishedAt: String! category: Category
    actors(first: Int = 20): ArticleActorConnection!
    related(first: Int = 20): RelatedLinkConnection!
  }
  type Category { name: String! }
  type ArticleActorConnection { edges: [ArticleActorEdge!]! }
  type ArticleActorEdge { mentionCount: Int! node: Actor! }
  type Actor { name: String! kind: String! }
  type RelatedLinkConnection { edges: [RelatedLinkEdge!]! }
  type RelatedLinkEdge { node: RelatedLink! }
  type RelatedLink { kind: String! target: Article! }
`;

export function createNaiveYoga(prisma: PrismaClient) {
  const where = { isStub: false };
  return createYoga({
    logging: false,
    schema: createSchema({
      typeDefs,
      resolvers: {
        Query: {
          articles: async (_: unknown, { first }: { first: number }) => ({
            totalCount: await prisma.article.count({ where }),
            edges: (
              await prisma.article.findMany({ where, orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }], take: first })
            ).map((node) => ({ node })),
          }),
        },
        Article: {
          publishedAt: (article: { publishedAt: Date }) => article.publishedAt.toISOString(),
          category: (article: { categoryId: number | null }) =>
            article.categoryId === null ? null : prisma.category.findFirst({ where: { id: article.categoryId } }),
          actors: async (article: { id: number }, { first }: { first: number }) => ({
            edges: await Promise.all(
              (
                await prisma.mention.findMany({
                  where: { articleId: article.id },
                  orderBy: [{ count: 'desc' }, { actorId: 'asc' }],
                  take: first,
                })
              ).map(async (mention) => ({
                mentionCount: mention.count,
                node: await prisma.actor.findFirst({ where: { id: mention.actorId } }),
              })),
            ),
          }),
          related: async (article: { id: number }, { first }: { first: number }) => ({
            edges: (
              await prisma.relatedLink.findMany({
                where: { sourceId: article.id },
                orderBy: { position: 'asc' },
                take: first,
              })
            ).map((node) => ({ node })),
          }),
        },
        RelatedLink: {
          target: (link: { targetId: number }) => prisma.article.findFirst({ where: { id: link.targetId } }),
        },
      },
    }),
  });
}
