// ArticleFacets: counts of categories, actors and years over a whole filtered set.

import type { ArticleFilter, FacetRequest } from '../archive/article-queries.ts';
import { builder, type Context } from './builder.ts';
import { ActorKindEnum } from './enums.ts';

const DEFAULT_FACET_ACTORS = 10;

function facetsOf(
  context: Context,
  filter: ArticleFilter,
  actorLimit = DEFAULT_FACET_ACTORS,
  actorKind: FacetRequest['actorKind'] = null,
) {
  return context.loaders.articleFacets.load({ filter, actorLimit, actorKind });
}

const CategoryCount = builder.objectRef<{ categoryId: number; count: number }>('CategoryCount').implement({
  fields: (t) => ({
    category: t.prismaField({
      type: 'Category',
      resolve: (query, facet, _args, context) =>
        context.prisma.category.findUniqueOrThrow({ ...query, where: { id: facet.categoryId } }),
    }),
    count: t.exposeInt('count'),
  }),
});

const ActorCount = builder.objectRef<{ actorId: number; count: number }>('ActorCount').implement({
  fields: (t) => ({
    actor: t.prismaField({
      type: 'Actor',
      resolve: (query, facet, _args, context) =>
        context.prisma.actor.findUniqueOrThrow({ ...query, where: { id: facet.actorId } }),
    }),
    count: t.exposeInt('count', { description: 'Articles of the set that mention the actor.' }),
  }),
});

const YearCount = builder.objectRef<{ year: number; count: number }>('YearCount').implement({
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Year of publication, Minsk time.' }),
    count: t.exposeInt('count'),
  }),
});

export const ArticleFacets = builder.objectRef<{ filter: ArticleFilter }>('ArticleFacets').implement({
  fields: (t) => ({
    categories: t.field({
      type: [CategoryCount],
      resolve: async ({ filter }, _args, context) => (await facetsOf(context, filter)).categories,
    }),
    actors: t.field({
      type: [ActorCount],
      args: {
        first: t.arg.int({ defaultValue: DEFAULT_FACET_ACTORS }),
        kind: t.arg({ type: ActorKindEnum }),
      },
      resolve: async ({ filter }, args, context) =>
        (await facetsOf(context, filter, args.first ?? DEFAULT_FACET_ACTORS, args.kind ?? null)).actors,
    }),
    years: t.field({
      type: [YearCount],
      resolve: async ({ filter }, _args, context) => (await facetsOf(context, filter)).years,
    }),
  }),
});
