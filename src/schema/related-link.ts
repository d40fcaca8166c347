// RelatedLink: why two articles belong together, and Article.related in page order.
// Links and their articles are read by the article reader with the article they hang
// from (see article-shape.ts), or on their own for node(id).

import { sharedActorsOf } from '../archive/actor-queries.ts';
import type { ArticleRecord, LinkRecord } from '../archive/article-reader.ts';
import { ActorNode } from './actor.ts';
import { Article } from './article.ts';
import { articleShapeAt, linkCursor, linkShapeAt, nestedPageShapeAt, relatedPageArguments } from './article-shape.ts';
import { builder, type Context } from './builder.ts';
import { RelatedLinkKindEnum } from './enums.ts';
import { toConnection } from './pagination.ts';

const RelatedLink = builder.objectRef<LinkRecord>('RelatedLink');

/** An end of a link as read with it, or (a link from elsewhere) read now with this field's selection. */
function linkEnd(link: LinkRecord, side: 'source' | 'target') {
  return async (_args: object, context: Context, info: Parameters<typeof articleShapeAt>[0]) =>
    link[side] ??
    ((await context.loaders
      .articlesById(articleShapeAt(info, []))
      .load(side === 'source' ? link.sourceId : link.targetId)) as ArticleRecord);
}

builder.node(RelatedLink, {
  id: { resolve: (link) => link.id },
  loadWithoutCache: (id, context, info) => context.loaders.linksById(linkShapeAt(info, [])).load(Number(id)),
  fields: (t) => ({
    source: t.field({
      type: Article,
      description: 'The article whose page lists the link (or, for a computed link, the article it was computed for).',
      resolve: (link, args, context, info) => linkEnd(link, 'source')(args, context, info),
    }),
    target: t.field({
      type: Article,
      description: 'The related article.',
      resolve: (link, args, context, info) => linkEnd(link, 'target')(args, context, info),
    }),
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

const RelatedLinkConnection = builder.connectionObject(
  {
    type: RelatedLink,
    name: 'RelatedLinkConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Links of the article, editorial and computed.',
        resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
      }),
    }),
  },
  { name: 'RelatedLinkEdge' },
);

builder.objectField(Article, 'related', (t) =>
  t.connection(
    {
      type: RelatedLink,
      description: 'Editorial links in page order, then computed ones by similarity.',
      resolve: async (article, args, context, info) => {
        const { window } = relatedPageArguments(args);
        const page =
          article.relatedPages[info.path.key] ??
          (await context.loaders.articlesById(nestedPageShapeAt(info)).load(article.id))?.relatedPages[info.path.key];
        return {
          ...toConnection(
            page?.rows ?? [],
            window,
            (link) => linkCursor(link.position),
            (link) => link,
          ),
          totalCount: page?.total ?? 0,
        };
      },
    },
    RelatedLinkConnection,
  ),
);
