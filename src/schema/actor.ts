// Actor: the node, lookups by slug or alias, the actor list, an actor's articles and
// co-actors, and Article.actors (an article's actors ranked by mentions).

import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import { mentionCountsOf } from '../archive/actor-queries.ts';
import type { ArticleFilter } from '../archive/article-queries.ts';
import type { Actor } from '../generated/prisma/client.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { builder } from './builder.ts';
import { ActorKindEnum } from './enums.ts';
import { BOUNDS, bounded } from './input-bounds.ts';
import { PRISMA_CURSORS } from './pagination.ts';

const DEFAULT_CO_ACTORS = 10;
const ACTOR_COLUMNS = { id: true, key: true, slug: true, name: true, kind: true, fullArticleCount: true } as const;

const CoActor = builder.objectRef<{ actor: Actor; sharedArticles: number }>('CoActor');

export const ActorNode = builder.prismaNode('Actor', {
  description:
    'A person, state or organisation the articles name. Its spellings and stand-ins ("Makey"/"Makei", "Kremlin" for Russia) are aliases of one actor.',
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description:
        'Unique, URL-safe name, e.g. "vladimir-makei". `actor(slug:)` and filters also take the slug of any alias.',
    }),
    name: t.exposeString('name', { description: 'Canonical name, e.g. "Vladimir Makei".' }),
    kind: t.expose('kind', { type: ActorKindEnum, description: 'Person, state or organisation.' }),
    aliases: t.stringList({
      description: 'Every form of the name seen in a page or known beforehand (e.g. "Makey", "Makei"), oldest first.',
      select: { aliases: { select: { surface: true }, orderBy: { id: 'asc' } } },
      resolve: (actor) => actor.aliases.map((alias) => alias.surface),
    }),
    mentionCount: t.loadable({
      type: 'Int',
      description: 'How often the archive names the actor: every mention in every article (stubs included).',
      load: (actorIds: number[], context) => mentionCountsOf(context.prisma, actorIds),
      resolve: (actor) => actor.id,
    }),
    articles: t.connection(
      {
        type: Article,
        description: 'The full articles that name the actor, newest first (stubs left out).',
        resolve: articleListField((actor: { slug: string }): ArticleFilter => ({ actors: [actor.slug] })) as never,
      },
      ArticleConnection,
    ),
    coActors: t.field({
      type: [CoActor],
      description:
        'The actors named most often in the same articles as this one, most shared articles first (ties by actor id).',
      args: {
        first: t.arg.int({
          defaultValue: DEFAULT_CO_ACTORS,
          ...bounded(BOUNDS.pageSize, 'How many co-actors to return.'),
        }),
      },
      resolve: (actor, args, context) =>
        context.loaders.coActors.load({ actorId: actor.id, limit: args.first ?? DEFAULT_CO_ACTORS }),
    }),
  }),
});

CoActor.implement({
  description: 'An actor named in the same articles as another, and how often.',
  fields: (t) => ({
    actor: t.field({ type: ActorNode, description: 'The other actor.', resolve: (coActor) => coActor.actor }),
    sharedArticles: t.exposeInt('sharedArticles', {
      description: 'Articles (stubs included) that name both actors.',
    }),
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
      ...PRISMA_CURSORS,
      type: ActorNode,
      description: 'The actors the article names, most mentioned first (ties by actor id).',
      args: { kind: t.arg({ type: ActorKindEnum, description: 'Only actors of this kind; all kinds when absent.' }) },
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
      description: 'A page of the actors an article names.',
      fields: (connection) => ({
        totalCount: connection.int({
          description: 'How many actors (of the kind asked) the article names, in all pages.',
          resolve: (result) => result.totalCount,
        }),
      }),
    },
    {
      name: 'ArticleActorEdge',
      description: 'An actor an article names, with how often it names it.',
      fields: (edge) => ({
        mentionCount: edge.int({
          description: 'How many times this article names the actor, under any of its names.',
          resolve: (mention) => mention.count,
        }),
      }),
    },
  ),
);

builder.queryFields((t) => ({
  actors: t.prismaConnection(
    {
      ...PRISMA_CURSORS,
      type: 'Actor',
      cursor: 'id',
      description: 'Every actor, by name (ties by id), optionally narrowed by kind and by part of a name.',
      args: {
        kind: t.arg({ type: ActorKindEnum, description: 'Only actors of this kind; all kinds when absent.' }),
        search: t.arg.string(
          bounded(
            BOUNDS.nameSearch,
            'Only actors whose name or any alias contains this text, in any letter case (e.g. "luk" finds Lukashenko). Blank means no narrowing.',
          ),
        ),
      },
      resolve: (query, _root, args, context) =>
        context.prisma.actor.findMany({
          ...query,
          where: actorListWhere(args),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_connection, args, context) => context.prisma.actor.count({ where: actorListWhere(args) }),
    },
    { name: 'ActorConnection', description: 'A page of actors.' },
    { name: 'ActorEdge', description: 'An actor in a page of actors, with its cursor.' },
  ),
  actor: t.prismaField({
    type: 'Actor',
    nullable: true,
    description: 'The actor with this slug, or with an alias of this slug; null when none has it.',
    args: {
      slug: t.arg.string({
        required: true,
        ...bounded(
          BOUNDS.slug,
          'An actor\'s slug or the slug of one of its aliases: "makey", "makei" and "vladimir-makei" find the same person.',
        ),
      }),
    },
    resolve: async (query, _root, args, context) =>
      (await context.prisma.actor.findUnique({ ...query, where: { slug: args.slug } })) ??
      context.prisma.actor.findFirst({
        ...query,
        where: { aliases: { some: { slug: args.slug } } },
        orderBy: { id: 'asc' },
      }),
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
