// Category: the node, the list of categories, a category's articles, and Article.category.

import type { ArticleFilter } from '../archive/article-queries.ts';
import { fullArticleCountsOf } from '../archive/category-queries.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { builder } from './builder.ts';

const Category = builder.prismaNode('Category', {
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    articleCount: t.loadable({
      type: 'Int',
      description: 'Full articles (stubs not counted).',
      load: (categoryIds: number[], context) => fullArticleCountsOf(context.sql, categoryIds),
      resolve: (category) => category.id,
    }),
    articles: t.connection(
      {
        type: Article,
        description: 'Newest first; stubs left out.',
        resolve: articleListField(
          (category: { slug: string }): ArticleFilter => ({ category: category.slug }),
        ) as never,
      },
      ArticleConnection,
    ),
  }),
});

builder.queryFields((t) => ({
  categories: t.prismaField({
    type: ['Category'],
    resolve: (query, _root, _args, context) => context.prisma.category.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  category: t.prismaField({
    type: 'Category',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.category.findUnique({ ...query, where: { slug: args.slug } }),
  }),
}));

builder.objectField(Article, 'category', (t) =>
  t.field({ type: Category, nullable: true, resolve: (article) => article.category }),
);
