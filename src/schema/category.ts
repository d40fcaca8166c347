// Category: the node, the list of categories, a category's articles, and Article.category.

import type { ArticleFilter } from '../archive/article-queries.ts';
import { fullArticleCountsOf } from '../archive/category-queries.ts';
import { Article, ArticleConnection, articleListField } from './article.ts';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';

const Category = builder.prismaNode('Category', {
  description: 'A section of the site an article is filed under, e.g. "Security" or "Politics".',
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description: 'Unique, URL-safe name, e.g. "security": what `category(slug:)` and filters take.',
    }),
    name: t.exposeString('name', { description: 'The name as the site writes it, e.g. "Security".' }),
    articleCount: t.loadable({
      type: 'Int',
      description: 'Full articles (stubs not counted).',
      load: (categoryIds: number[], context) => fullArticleCountsOf(context.sql, categoryIds),
      resolve: (category) => category.id,
    }),
    articles: t.connection(
      {
        type: Article,
        description: 'The full articles of this category, newest first (stubs left out).',
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
    description: 'Every category, by name.',
    resolve: (query, _root, _args, context) => context.prisma.category.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  category: t.prismaField({
    type: 'Category',
    nullable: true,
    description: 'The category with this slug; null when none has it.',
    args: {
      slug: t.arg.string({ required: true, ...bounded(BOUNDS.slug, 'The category\'s `slug`, e.g. "security".') }),
    },
    resolve: (query, _root, args, context) =>
      context.prisma.category.findUnique({ ...query, where: { slug: args.slug } }),
  }),
}));

builder.objectField(Article, 'category', (t) =>
  t.field({
    type: Category,
    nullable: true,
    description: 'The section the page files the article under; null when the page names none.',
    resolve: (article) => article.category,
  }),
);
