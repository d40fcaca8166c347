// The public API through HTTP (yoga.fetch) on each test database: the contract's
// behaviour, filters, facets, paging rules, lookups and the statement budget.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/gql.ts';
import type { SearchPageQuery } from '../generated/graphql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';

const ReferenceQuery = graphql(`
  query Reference($first: Int!) {
    articles(first: $first) {
      totalCount
      edges {
        node {
          title
          publishedAt
          category { name }
          actors(first: 10) { edges { mentionCount node { name kind } } }
          related(first: 5) { edges { node { kind target { title category { name } } } } }
        }
      }
    }
  }
`);

const SearchPage = graphql(`
  query SearchPage($query: String!, $first: Int!, $after: String) {
    search(query: $query, first: $first, after: $after) {
      totalCount
      edges { cursor node { rank headline article { id title } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ArticleList = graphql(`
  query ArticleList($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {
    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id slug title publishedAt isStub category { slug } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      facets {
        categories { category { slug } count }
        actors(first: 3) { actor { name } count }
        years { year count }
      }
    }
  }
`);

const ActorLookup = graphql(`
  query ActorLookup($slug: String!) {
    actor(slug: $slug) {
      id name kind aliases mentionCount
      coActors(first: 3) { sharedArticles actor { name } }
      articles(first: 10) { totalCount edges { node { title } } }
    }
  }
`);

const NodeLookup = graphql(`
  query NodeLookup($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Article { title }
      ... on Actor { name }
    }
  }
`);

const ArticleBySlug = graphql(`
  query ArticleBySlug($slug: String!) {
    article(slug: $slug) {
      id title lead body paragraphs wordCount imageCredit isStub
      sourceDocuments { name sha256 ingestedAt }
      actors(first: 3, kind: PERSON) { totalCount edges { cursor mentionCount node { name } } }
      related(first: 10) {
        totalCount
        edges { node { id position kind score sharedActors { name } source { title } target { title isStub } } }
      }
    }
  }
`);

const Categories = graphql(`
  query Categories {
    categories { slug name articleCount articles(first: 5) { totalCount edges { node { title } } } }
  }
`);

const ActorList = graphql(`
  query ActorList($first: Int, $after: String, $kind: ActorKind, $search: String) {
    actors(first: $first, after: $after, kind: $kind, search: $search) {
      totalCount
      edges { cursor node { name kind } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const IMAGE_LOSSES = 'Minsk attempts to make up for image losses from military exercises by opening to Western values';

for (const target of await testTargets()) {
  describe(`the GraphQL API on ${target}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(target, { syntheticPages: 60 });
    });
    afterAll(async () => api.close());

    it('answers the reference query in the same number of statements at 5 and at 50, at most 6', async () => {
      const small = await api.data(ReferenceQuery, { first: 5 });
      const atFive = api.statements.length;
      const large = await api.data(ReferenceQuery, { first: 50 });
      const atFifty = api.statements.length;
      expect(small.articles.edges).toHaveLength(5);
      expect(large.articles.edges).toHaveLength(50);
      expect(large.articles.edges.some((edge) => edge.node.related.edges.length > 0)).toBe(true);
      expect(large.articles.edges.every((edge) => edge.node.actors.edges.length > 0)).toBe(true);
      expect({ atFive, atFifty }).toEqual({ atFive: atFifty, atFifty });
      expect(atFifty).toBeLessThanOrEqual(6);
    });

    it('pages through search two at a time in exactly the order of one page of 100', async () => {
      const all = await api.data(SearchPage, { query: 'Minsk', first: 100 });
      expect(all.search.edges.length).toBeGreaterThan(20);
      expect(all.search.pageInfo.hasNextPage).toBe(false);
      const paged: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const result: SearchPageQuery = await api.data(SearchPage, { query: 'Minsk', first: 2, after });
        paged.push(...result.search.edges.map((edge) => edge.node.article.id));
        // The first page counts in its own scan, later ones with a separate count: the same.
        expect(result.search.totalCount).toBe(all.search.totalCount);
        if (!result.search.pageInfo.hasNextPage) break;
        after = result.search.pageInfo.endCursor ?? null;
      }
      expect(paged).toEqual(all.search.edges.map((edge) => edge.node.article.id));
      expect(all.search.totalCount).toBe(all.search.edges.length);
      const ranks = all.search.edges.map((edge) => edge.node.rank);
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    });

    it('highlights matches in an HTML-safe headline and copes with Cyrillic and operators', async () => {
      const result = await api.data(SearchPage, { query: 'Kremlin', first: 3 });
      expect(result.search.edges[0]!.node.headline).toMatch(/<mark>Kremlin<\/mark>/);
      expect(result.search.edges.every((edge) => !/<(?!\/?mark>)/.test(edge.node.headline))).toBe(true);
      for (const query of [
        'Еўрарадыё Минск',
        '"security donor" -Syria',
        'Minsk OR Kyiv',
        '\'); DROP TABLE "Article"; --',
        '!!! :* &&',
      ]) {
        const searched = await api.execute(SearchPage, { query, first: 5 });
        expect(searched.errors).toBeUndefined();
      }
      const phrase = await api.data(SearchPage, { query: '"security donor"', first: 5 });
      expect(phrase.search.edges.map((edge) => edge.node.article.title)).toEqual([
        'Belarusian authorities aspire that Minsk becomes negotiating platform on security issues',
      ]);
    });

    it('filters by category, all of several actors, dates and text; hides stubs unless asked', async () => {
      const security = await api.data(ArticleList, { first: 100, filter: { category: 'security' } });
      expect(security.articles.edges.every((edge) => edge.node.category?.slug === 'security')).toBe(true);
      expect(security.articles.totalCount).toBe(security.articles.edges.length);

      const both = await api.data(ArticleList, { first: 100, filter: { actors: ['makey', 'sergei-lavrov'] } });
      expect(both.articles.edges.map((edge) => edge.node.title)).toEqual(
        expect.arrayContaining(['Belarusian Foreign Ministry requests Kremlin’s support at international fora']),
      );
      const lavrovOnly = await api.data(ArticleList, { first: 100, filter: { actors: ['sergei-lavrov'] } });
      expect(lavrovOnly.articles.totalCount).toBeGreaterThanOrEqual(both.articles.totalCount);

      const in2016 = await api.data(ArticleList, {
        first: 100,
        filter: { publishedAfter: '2016-01-01T00:00:00Z', publishedBefore: '2017-01-01T00:00:00Z' },
      });
      expect(in2016.articles.edges.every((edge) => edge.node.publishedAt.startsWith('2016'))).toBe(true);
      expect(in2016.articles.facets.years).toEqual([{ year: 2016, count: in2016.articles.totalCount }]);

      // Of the bundled corpus only a stub mentions "Catholic"; synthetic pages do too, in full.
      const text = await api.data(ArticleList, { first: 100, filter: { text: 'Catholic' } });
      expect(text.articles.totalCount).toBeGreaterThan(0);
      expect(text.articles.edges.every((edge) => !edge.node.isStub)).toBe(true);
      expect(text.articles.totalCount).toBe(text.articles.edges.length);
      const withStubs = await api.data(ArticleList, { first: 100, filter: { text: 'Catholic', includeStubs: true } });
      const stubs = withStubs.articles.edges.filter((edge) => edge.node.isStub).map((edge) => edge.node.title);
      expect(stubs).toEqual([IMAGE_LOSSES]);
      expect(withStubs.articles.edges.filter((edge) => !edge.node.isStub).map((edge) => edge.node.id)).toEqual(
        text.articles.edges.map((edge) => edge.node.id),
      );
      expect(withStubs.articles.totalCount).toBe(text.articles.totalCount + 1);
    });

    it('counts facets over the whole filtered set, not the page', async () => {
      const page = await api.data(ArticleList, { first: 2 });
      const total = page.articles.totalCount;
      expect(page.articles.edges).toHaveLength(2);
      const yearTotal = page.articles.facets.years.reduce((sum, year) => sum + year.count, 0);
      expect(yearTotal).toBe(total);
      // Each actor's count is over every article of the set (stubs hidden), and the first
      // is the actor named by the most of them.
      const fullArticlesNaming = (name: string) =>
        api.db.prisma.article.count({ where: { isStub: false, mentions: { some: { actor: { name } } } } });
      const actors = page.articles.facets.actors;
      expect(actors).toHaveLength(3);
      for (const facet of actors)
        expect(facet.count, facet.actor.name).toBe(await fullArticlesNaming(facet.actor.name));
      expect(actors.map((facet) => facet.count)).toEqual(actors.map((facet) => facet.count).sort((a, b) => b - a));
      const mentioned = await api.db.prisma.mention.groupBy({
        by: ['actorId'],
        where: { article: { isStub: false } },
        _count: { _all: true },
      });
      expect(actors[0]!.count).toBe(Math.max(...mentioned.map((group) => group._count._all)));
      expect(actors[0]!.count).toBeGreaterThan(page.articles.edges.length);
      const categoryTotal = page.articles.facets.categories.reduce((sum, category) => sum + category.count, 0);
      expect(categoryTotal).toBeLessThanOrEqual(total);
      expect(categoryTotal).toBeGreaterThan(2);
    });

    it('pages forwards and backwards with stable cursors, newest or oldest first', async () => {
      const all = await api.data(ArticleList, { first: 100 });
      const titles = all.articles.edges.map((edge) => edge.node.title);
      const dates = all.articles.edges.map((edge) => edge.node.publishedAt);
      expect([...dates].sort().reverse()).toEqual(dates);
      const second = await api.data(ArticleList, { first: 3, after: all.articles.edges[2]!.cursor });
      expect(second.articles.edges.map((edge) => edge.node.title)).toEqual(titles.slice(3, 6));
      expect(second.articles.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      const before = await api.data(ArticleList, { last: 2, before: all.articles.edges[5]!.cursor });
      expect(before.articles.edges.map((edge) => edge.node.title)).toEqual(titles.slice(3, 5));
      const oldest = await api.data(ArticleList, { first: 100, orderBy: 'PUBLISHED_AT_ASC' });
      expect(oldest.articles.edges.map((edge) => edge.node.title)).toEqual([...titles].reverse());
      const ranked = await api.data(ArticleList, { first: 5, orderBy: 'RELEVANCE', filter: { text: 'Kremlin' } });
      expect(ranked.articles.edges[0]!.node.title).toMatch(/Kremlin/);
    });

    it('refuses page sizes outside 0..100 and forged cursors, naming the problem', async () => {
      for (const [variables, message] of [
        [{ first: 101 }, /"first" must be an integer from 0 to 100; got 101/],
        [{ first: -1 }, /"first" must be an integer from 0 to 100; got -1/],
        [{ last: 1000 }, /"last" must be an integer from 0 to 100/],
        [{ first: 2, after: 'not-a-cursor' }, /invalid cursor/],
        [{ first: 2, after: Buffer.from('["trend",5]').toString('base64url') }, /invalid cursor/],
      ] as const) {
        const result = await api.execute(ArticleList, variables);
        expect(result.errors?.[0]?.message).toMatch(message);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const nested = await api.execute(ReferenceQuery, { first: 1 });
      expect(nested.errors).toBeUndefined();
    });

    it('looks actors up by slug or alias slug, with aliases, mentions and co-actors', async () => {
      const byAlias = await api.data(ActorLookup, { slug: 'makey' });
      const bySlug = await api.data(ActorLookup, { slug: 'vladimir-makei' });
      expect(byAlias.actor?.id).toBe(bySlug.actor?.id);
      expect(byAlias.actor).toMatchObject({ name: 'Vladimir Makei', kind: 'PERSON' });
      expect(byAlias.actor?.aliases).toEqual(expect.arrayContaining(['Makey', 'Makei']));
      expect(byAlias.actor?.mentionCount).toBeGreaterThanOrEqual(4);
      expect(byAlias.actor?.coActors.length).toBe(3);
      const lukashenka = await api.data(ActorLookup, { slug: 'lukashenka' });
      expect(lukashenka.actor?.name).toBe('Alexander Lukashenko');
      expect((await api.data(ActorLookup, { slug: 'no-such-actor' })).actor).toBeNull();
    });

    it('lists actors by kind and search text with totalCount', async () => {
      const people = await api.data(ActorList, { first: 100, kind: 'PERSON' });
      expect(people.actors.edges.every((edge) => edge.node.kind === 'PERSON')).toBe(true);
      expect(people.actors.totalCount).toBe(people.actors.edges.length);
      const kremlin = await api.data(ActorList, { first: 5, search: 'kreml' });
      expect(kremlin.actors.edges.map((edge) => edge.node.name)).toEqual(['Russia']);
    });

    it('serves an article with its paragraphs, sources, actors and links in page order', async () => {
      const list = await api.data(ArticleList, { first: 100, filter: { text: 'Kremlin support fora' } });
      const slug = list.articles.edges[0]!.node.slug;
      const { article } = await api.data(ArticleBySlug, { slug });
      expect(article).toMatchObject({ isStub: false, imageCredit: null });
      expect(article!.paragraphs).toHaveLength(8);
      expect(article!.lead).toBe(article!.paragraphs[0]);
      expect(article!.body).toBe(article!.paragraphs.join('\n\n'));
      expect(article!.sourceDocuments[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(article!.actors.edges.map((edge) => edge.node.name)).toContain('Vladimir Makei');
      const editorial = article!.related.edges.filter((edge) => edge.node.kind === 'EDITORIAL');
      expect(editorial.map((edge) => edge.node.target.title)).toEqual([
        'Belarusian and Ukrainian Defence Ministries entangle in confrontation spiral',
      ]);
      expect(article!.related.edges[0]!.node.kind).toBe('EDITORIAL');
      const computed = article!.related.edges.slice(editorial.length).map((edge) => edge.node);
      expect(computed.length).toBeGreaterThan(0);
      expect(computed.length).toBeLessThanOrEqual(5);
      expect(computed.every((link) => link.kind === 'COMPUTED' && link.score! > 0 && link.score! <= 1)).toBe(true);
      expect(computed.every((link) => link.sharedActors.length > 0 && !link.target.isStub)).toBe(true);
      expect(computed.map((link) => link.score)).toEqual(computed.map((link) => link.score).sort((a, b) => b! - a!));
      expect(article!.related.edges.map((edge) => edge.node.position)).toEqual(article!.related.edges.map((_, n) => n));
    });

    it('resolves Relay global ids with node and nodes, and null for a wrong one', async () => {
      const list = await api.data(ArticleList, { first: 1 });
      const actor = await api.data(ActorLookup, { slug: 'russia' });
      const articleId = list.articles.edges[0]!.node.id;
      const result = await api.data(NodeLookup, { ids: [articleId, actor.actor!.id] });
      expect(result.nodes.map((node) => node?.__typename)).toEqual(['Article', 'Actor']);
      const missing = await api.execute(NodeLookup, {
        ids: [Buffer.from('Article:999999').toString('base64'), articleId],
      });
      expect(missing.errors).toBeUndefined();
      expect(missing.data?.nodes.map((node) => node?.__typename ?? null)).toEqual([null, 'Article']);
    });

    it('lists categories with article counts and their articles', async () => {
      const { categories } = await api.data(Categories);
      const security = categories.find((category) => category.slug === 'security')!;
      expect(security.articleCount).toBe(security.articles.totalCount);
      // The bundled corpus has three categories; the synthetic pages add two.
      expect(categories.map((category) => category.slug).sort()).toEqual([
        'economy',
        'foreign-policy',
        'politics',
        'security',
        'society',
      ]);
    });
  });
}
