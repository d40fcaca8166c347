// RelatedLink: why two articles belong together, and Article.related in page order.

import { sharedActorsOf } from '../archive/actor-queries.ts';
import { ActorNode } from './actor.ts';
import { builder } from './builder.ts';
import { RelatedLinkKindEnum } from './enums.ts';

builder.prismaNode('RelatedLink', {
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    source: t.relation('source'),
    target: t.relation('target'),
    position: t.exposeInt('position', { description: 'Editorial links first, in page order; computed links after.' }),
    kind: t.expose('kind', { type: RelatedLinkKindEnum }),
    score: t.exposeFloat('score', { nullable: true, description: 'COMPUTED links: similarity in [0, 1].' }),
    sharedActors: t.loadableList({
      type: ActorNode,
      description: 'Actors both articles name, the most mentioned first.',
      load: (linkIds: number[], context) => sharedActorsOf(context.prisma, linkIds),
      resolve: (link) => link.id,
    }),
  }),
});

builder.prismaObjectField('Article', 'related', (t) =>
  t.relatedConnection(
    'outgoingLinks',
    {
      cursor: 'id',
      totalCount: true,
      description: 'Editorial links in page order, then computed ones by similarity.',
      query: { orderBy: { position: 'asc' } },
    },
    { name: 'RelatedLinkConnection' },
    { name: 'RelatedLinkEdge' },
  ),
);
