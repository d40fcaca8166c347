// Actor: the node, lookups by slug or alias, the actor list, an actor's articles and
// co-actors, and Article.actors (an article's actors ranked by mentions).

import { actorSlugLookups, mentionCountsOf } from '../archive/actor-queries.ts';
import type { ArticleFilter } from '../archive/article-queries.ts';
import type { Actor } from '../generated/prisma/client.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { actorPageArguments, mentionCursor, nestedPageShapeAt } from './article-shape.ts';
import { builder } from './builder.ts';
import { ActorKindEnum } from './enums.ts';
import { BOUNDS, bounded } from './input-bounds.ts';
import { alwaysExactCount, PRISMA_CURSORS, toConnection } from './pagination.ts';

const DEFAULT_CO_ACTORS = 10;

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
      // Read with the article when the actor came from Article.actors; else batched by id.
      resolve: (actor, _args, context) =>
        (actor as { aliases?: string[] }).aliases ?? context.loaders.actorAliases.load(actor.id),
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

const ArticleActorConnection = builder.connectionObject(
  {
    type: ActorNode,
    name: 'ArticleActorConnection',
    description: 'A page of the actors an article names.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many actors (of the kind asked) the article names, in all pages.',
        resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
      }),
      totalCountIsExact: t.boolean(alwaysExactCount('the actors one article names are few and are all read with it')),
    }),
  },
  {
    name: 'ArticleActorEdge',
    description: 'An actor an article names, with how often it names it.',
    fields: (t) => ({
      mentionCount: t.int({
        description: 'How many times this article names the actor, under any of its names.',
        resolve: (edge) => (edge as unknown as { mentionCount: number }).mentionCount,
      }),
    }),
  },
);

builder.objectField(Article, 'actors', (t) =>
  t.connection(
    {
      type: ActorNode,
      description: 'The actors the article names, most mentioned first (ties by actor id).',
      args: { kind: t.arg({ type: ActorKindEnum, description: 'Only actors of this kind; all kinds when absent.' }) },
      resolve: async (article, args, context, info) => {
        const { window } = actorPageArguments(args);
        // Read with the article (article-shape.ts), or on its own when the article was not.
        const page =
          article.actorPages[info.path.key] ??
          (await context.loaders.articlesById(nestedPageShapeAt(info)).load(article.id))?.actorPages[info.path.key];
        return {
          ...toConnection(
            page?.rows ?? [],
            window,
            (row) => mentionCursor({ count: row.count, actorId: row.actor.id }),
            // ActorRecord carries the columns Actor's fields read (see article-shape.ts).
            (row) => row.actor as never,
            (row) => ({ mentionCount: row.count }),
          ),
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
    {
      name: 'ActorConnection',
      description: 'A page of actors.',
      fields: (t) => ({
        totalCountIsExact: t.boolean(
          alwaysExactCount(
            'actors (people, states, organisations) are far fewer than articles, so counting them all is cheap',
          ),
        ),
      }),
    },
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
