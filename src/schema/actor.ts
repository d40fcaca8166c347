// Actor: the node, lookups by slug or alias, the actor list, an actor's articles and
// co-actors, and Article.actors (an article's actors ranked by mentions).

import { actorSlugLookups, mentionCountsOf } from '../archive/actor-queries.ts';
import type { ArticleFilter } from '../archive/article-queries.ts';
import type { Actor } from '../generated/prisma/client.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { actorPageArguments, mentionCursor, nestedPageShapeAt } from './article-shape.ts';
import { builder } from './builder.ts';
import { ActorKindEnum } from './enums.ts';
import { toConnection } from './pagination.ts';

const DEFAULT_CO_ACTORS = 10;

const CoActor = builder.objectRef<{ actor: Actor; sharedArticles: number }>('CoActor');

export const ActorNode = builder.prismaNode('Actor', {
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name', { description: 'Canonical name.' }),
    kind: t.expose('kind', { type: ActorKindEnum }),
    aliases: t.stringList({
      description: 'Every surface form seen or known (e.g. "Makey", "Makei").',
      // Read with the article when the actor came from Article.actors; else batched by id.
      resolve: (actor, _args, context) =>
        (actor as { aliases?: string[] }).aliases ?? context.loaders.actorAliases.load(actor.id),
    }),
    mentionCount: t.loadable({
      type: 'Int',
      description: 'Mentions across the archive (the sum of per-article counts).',
      load: (actorIds: number[], context) => mentionCountsOf(context.prisma, actorIds),
      resolve: (actor) => actor.id,
    }),
    articles: t.connection(
      {
        type: Article,
        description: 'Articles that mention the actor, newest first; stubs left out.',
        resolve: articleListField((actor: { slug: string }): ArticleFilter => ({ actors: [actor.slug] })) as never,
      },
      ArticleConnection,
    ),
    coActors: t.field({
      type: [CoActor],
      description: 'Actors most often mentioned in the same articles.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_CO_ACTORS }) },
      resolve: (actor, args, context) =>
        context.loaders.coActors.load({ actorId: actor.id, limit: args.first ?? DEFAULT_CO_ACTORS }),
    }),
  }),
});

CoActor.implement({
  fields: (t) => ({
    actor: t.field({ type: ActorNode, resolve: (coActor) => coActor.actor }),
    sharedArticles: t.exposeInt('sharedArticles'),
  }),
});

const ArticleActorConnection = builder.connectionObject(
  {
    type: ActorNode,
    name: 'ArticleActorConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Actors the article names (of the kind asked for, if any).',
        resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
      }),
    }),
  },
  {
    name: 'ArticleActorEdge',
    fields: (t) => ({
      mentionCount: t.int({
        description: 'How often the article names the actor, in any of its forms.',
        resolve: (edge) => (edge as unknown as { mentionCount: number }).mentionCount,
      }),
    }),
  },
);

builder.objectField(Article, 'actors', (t) =>
  t.connection(
    {
      type: ActorNode,
      description: 'Actors the article names, most mentioned first.',
      args: { kind: t.arg({ type: ActorKindEnum }) },
      resolve: async (article, args, context, info) => {
        const { window } = actorPageArguments(args);
        // Read with the article (article-shape.ts), or on its own when the article was not.
        const page =
          article.actorPages[info.path.key] ??
          (await context.loaders.articlesById(nestedPageShapeAt(info)).load(article.id))?.actorPages[info.path.key];
        const connection = toConnection(
          page?.rows ?? [],
          window,
          (row) => mentionCursor({ count: row.count, actorId: row.actor.id }),
          (row) => row,
        );
        return {
          ...connection,
          // ActorRecord carries the columns Actor's fields read (see article-shape.ts).
          edges: connection.edges.map(({ cursor, node }) => ({
            cursor,
            node: node.actor as never,
            mentionCount: node.count,
          })),
          totalCount: page?.total ?? 0,
        };
      },
    },
    ArticleActorConnection,
  ),
);

builder.queryFields((t) => ({
  actors: t.prismaConnection(
    {
      type: 'Actor',
      cursor: 'id',
      args: {
        kind: t.arg({ type: ActorKindEnum }),
        search: t.arg.string({ description: 'Part of the name or of any alias, any letter case.' }),
      },
      resolve: (query, _root, args, context) =>
        context.prisma.actor.findMany({
          ...query,
          where: actorListWhere(args),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_connection, args, context) => context.prisma.actor.count({ where: actorListWhere(args) }),
    },
    { name: 'ActorConnection' },
    { name: 'ActorEdge' },
  ),
  actor: t.prismaField({
    type: 'Actor',
    nullable: true,
    description: 'By slug, or by the slug of any alias.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, context) => {
      const [bySlug, byAlias] = actorSlugLookups(args.slug);
      return (
        (await context.prisma.actor.findFirst({ ...query, ...bySlug })) ??
        context.prisma.actor.findFirst({ ...query, ...byAlias })
      );
    },
  }),
}));

function actorListWhere(args: { kind?: 'PERSON' | 'STATE' | 'ORGANIZATION' | null; search?: string | null }) {
  const search = args.search?.trim();
  return {
    ...(args.kind ? { kind: args.kind } : {}),
    ...(search
      ? {
          OR: [
            { name: { contains: search, mode: 'insensitive' as const } },
            { aliases: { some: { surface: { contains: search, mode: 'insensitive' as const } } } },
          ],
        }
      : {}),
  };
}
