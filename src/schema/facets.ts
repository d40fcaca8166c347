// ArticleFacets: counts of categories, actors and years over a whole filtered set.

import type { ArticleFilter, FacetRequest } from '../archive/article-queries.ts';
import { builder, type Context } from './builder.ts';
import { ActorKindEnum } from './enums.ts';
import { BOUNDS, bounded } from './input-bounds.ts';

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
  description: 'A category and how many articles of the set it holds.',
  fields: (t) => ({
    category: t.prismaField({
      type: 'Category',
      description: 'The category.',
      resolve: (query, facet, _args, context) =>
        context.prisma.category.findUniqueOrThrow({ ...query, where: { id: facet.categoryId } }),
    }),
    count: t.exposeInt('count', { description: 'Articles of the set in this category.' }),
  }),
});

const ActorCount = builder.objectRef<{ actorId: number; count: number }>('ActorCount').implement({
  description: 'An actor and how many articles of the set name it.',
  fields: (t) => ({
    actor: t.prismaField({
      type: 'Actor',
      description: 'The actor.',
      resolve: (query, facet, _args, context) =>
        context.prisma.actor.findUniqueOrThrow({ ...query, where: { id: facet.actorId } }),
    }),
    count: t.exposeInt('count', { description: 'Articles of the set that mention the actor.' }),
  }),
});

const YearCount = builder.objectRef<{ year: number; count: number }>('YearCount').implement({
  description: 'A year and how many articles of the set were published in it.',
  fields: (t) => ({
    year: t.exposeInt('year', {
      description: 'Year of publication, in Minsk time (an article of 31 December 23:30 UTC counts in the next year).',
    }),
    count: t.exposeInt('count', { description: 'Articles of the set published that year.' }),
  }),
});

export const ArticleFacets = builder.objectRef<{ filter: ArticleFilter }>('ArticleFacets').implement({
  description: 'Counts over every article of a list (all pages), for narrowing it down: by category, actor or year.',
  fields: (t) => ({
    categories: t.field({
      type: [CategoryCount],
      description: 'Every category of the set, most articles first (articles without a category are not counted).',
      resolve: async ({ filter }, _args, context) => (await facetsOf(context, filter)).categories,
    }),
    actors: t.field({
      type: [ActorCount],
      description: 'The actors named by the most articles of the set, most first (ties by actor id).',
      args: {
        first: t.arg.int({
          defaultValue: DEFAULT_FACET_ACTORS,
          ...bounded(BOUNDS.pageSize, 'How many actors to return.'),
        }),
        kind: t.arg({ type: ActorKindEnum, description: 'Only actors of this kind; all kinds when absent.' }),
      },
      resolve: async ({ filter }, args, context) =>
        (await facetsOf(context, filter, args.first ?? DEFAULT_FACET_ACTORS, args.kind ?? null)).actors,
    }),
    years: t.field({
      type: [YearCount],
      description: 'Every year with articles in the set, newest first.',
      resolve: async ({ filter }, _args, context) => (await facetsOf(context, filter)).years,
    }),
  }),
});
