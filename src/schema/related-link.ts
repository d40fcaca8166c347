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
import { alwaysExactCount, toConnection } from './pagination.ts';

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
  description: 'A link from an article to a related one: listed by its page, or computed from what they share.',
  id: { resolve: (link) => link.id },
  loadWithoutCache: (id, context, info) => context.loaders.linksById(linkShapeAt(info, [])).load(Number(id)),
  fields: (t) => ({
    source: t.field({
      type: Article,
      description: 'The article the link belongs to.',
      resolve: (link, args, context, info) => linkEnd(link, 'source')(args, context, info),
    }),
    target: t.field({
      type: Article,
      description: 'The related article; an editorial link may point to a stub (known only from the excerpt).',
      resolve: (link, args, context, info) => linkEnd(link, 'target')(args, context, info),
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

const RelatedLinkConnection = builder.connectionObject(
  {
    type: RelatedLink,
    name: 'RelatedLinkConnection',
    description: "A page of an article's related links.",
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many related links the article has, editorial and computed, in all pages.',
        resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
      }),
      totalCountIsExact: t.boolean(
        alwaysExactCount(
          "an article's links (its editorial ones and at most five computed ones) are few and are all read with it",
        ),
      ),
    }),
  },
  { name: 'RelatedLinkEdge', description: 'A related link in a page of links, with its cursor.' },
);

builder.objectField(Article, 'related', (t) =>
  t.connection(
    {
      type: RelatedLink,
      description:
        'Related articles: editorial links in page order, then up to five computed ones, most similar first (ordered by `position`).',
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
