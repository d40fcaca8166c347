// RelatedLink: why two articles belong together, and Article.related in page order.

import { sharedActorsOf } from '../archive/actor-queries.ts';
import { ActorNode } from './actor.ts';
import { builder } from './builder.ts';
import { RelatedLinkKindEnum } from './enums.ts';
import { PRISMA_CURSORS } from './pagination.ts';

builder.prismaNode('RelatedLink', {
  description: 'A link from an article to a related one: listed by its page, or computed from what they share.',
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    source: t.relation('source', { description: 'The article the link belongs to.' }),
    target: t.relation('target', {
      description: 'The related article; an editorial link may point to a stub (known only from the excerpt).',
    }),
    position: t.exposeInt('position', {
      description:
        "Place among the source's links, from 0: editorial links first, in page order, then computed ones, most similar first.",
    }),
    kind: t.expose('kind', { type: RelatedLinkKindEnum, description: 'Listed by the page, or computed.' }),
    score: t.exposeFloat('score', {
      nullable: true,
      description:
        'For a COMPUTED link, similarity from 0 to 1 (0.8 × the weight of shared actors, rare ones weighing more, + 0.2 if the category is the same); null for an EDITORIAL link.',
    }),
    sharedActors: t.loadableList({
      type: ActorNode,
      description: 'Actors both articles name (why they are related), the most mentioned first.',
      load: (linkIds: number[], context) => sharedActorsOf(context.prisma, linkIds),
      resolve: (link) => link.id,
    }),
  }),
});

builder.prismaObjectField('Article', 'related', (t) =>
  t.relatedConnection(
    'outgoingLinks',
    {
      ...PRISMA_CURSORS,
      cursor: 'id',
      totalCount: true,
      description:
        'Related articles: editorial links in page order, then up to five computed ones, most similar first (ordered by `position`).',
      query: { orderBy: { position: 'asc' } },
    },
    { name: 'RelatedLinkConnection', description: "A page of an article's related links." },
    { name: 'RelatedLinkEdge', description: 'A related link in a page of links, with its cursor.' },
  ),
);
