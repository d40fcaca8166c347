// Actor: the node, lookups by slug or alias, the actor list, an actor's articles and
// co-actors, and Article.actors (an article's actors ranked by mentions).

import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import { actorSlugLookups, mentionCountsOf } from '../archive/actor-queries.ts';
import type { ArticleFilter } from '../archive/article-queries.ts';
import type { Actor } from '../generated/prisma/client.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { builder } from './builder.ts';
import { ActorKindEnum } from './enums.ts';

const DEFAULT_CO_ACTORS = 10;
const ACTOR_COLUMNS = { id: true, key: true, slug: true, name: true, kind: true, fullArticleCount: true } as const;

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
      select: { aliases: { select: { surface: true }, orderBy: { id: 'asc' } } },
      resolve: (actor) => actor.aliases.map((alias) => alias.surface),
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

/** Article.actors pages through Mention rows (ranked by count) but shows their actors. */
const articleActors = prismaConnectionHelpers(builder, 'Mention', {
  cursor: 'articleId_actorId',
  // The actor's columns are always selected: a page asking only for totalCount or
  // cursors would otherwise send Prisma an empty select, which it rejects.
  select: (nodeSelection) => ({ count: true, actor: nodeSelection({ select: ACTOR_COLUMNS }) }),
  resolveNode: (mention) => mention.actor,
});

builder.prismaObjectField('Article', 'actors', (t) =>
  t.connection(
    {
      type: ActorNode,
      description: 'Actors the article names, most mentioned first.',
      args: { kind: t.arg({ type: ActorKindEnum }) },
      select: (args, context, nestedSelection) => {
        const where = args.kind ? { actor: { kind: args.kind } } : {};
        return {
          mentions: {
            ...articleActors.getQuery(args, context, nestedSelection),
            where,
            orderBy: [{ count: 'desc' as const }, { actorId: 'asc' as const }],
          },
          _count: { select: { mentions: { where } } },
        };
      },
      resolve: (article, args, context) => ({
        ...articleActors.resolve(article.mentions, args, context),
        totalCount: article._count.mentions,
      }),
    },
    {
      name: 'ArticleActorConnection',
      fields: (connection) => ({ totalCount: connection.int({ resolve: (result) => result.totalCount }) }),
    },
    {
      name: 'ArticleActorEdge',
      fields: (edge) => ({ mentionCount: edge.int({ resolve: (mention) => mention.count }) }),
    },
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
