// Every connection's totalCount and totalCountIsExact: the lists that are never capped
// say so, and their counts match the items they page through.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook } from '../../src/feed/webhooks.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';

const ConnectionCounts = graphql(`
  query ConnectionCounts {
    actors(first: 100) { totalCount totalCountIsExact edges { cursor } }
    articles(first: 30, filter: { includeStubs: true }) {
      totalCount
      totalCountIsExact
      edges {
        node {
          slug
          actors(first: 40) { totalCount totalCountIsExact edges { cursor } }
          related(first: 10) { totalCount totalCountIsExact edges { cursor } }
        }
      }
    }
    search(query: "Minsk", first: 100, filter: { includeStubs: true }) { totalCount totalCountIsExact edges { cursor } }
    trends(first: 100) { totalCount totalCountIsExact edges { cursor } }
    webhooks(first: 100) { totalCount totalCountIsExact edges { cursor } }
  }
`);

for (const target of await testTargets()) {
  describe(`connection counts on ${target}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(target);
      for (const path of ['a', 'b']) {
        await createWebhook(api.db.prisma, { url: `https://127.0.0.1:9/${path}` }, { allowPrivate: true });
      }
    });
    afterAll(async () => api.close());

    it('reports exact counts (totalCountIsExact: true) that equal the items of every connection', async () => {
      const data = await api.data(ConnectionCounts, undefined, { token: await api.editorToken() });
      const lists = [
        data.actors,
        data.articles,
        ...data.articles.edges.flatMap((edge) => [edge.node.actors, edge.node.related]),
        data.search,
        data.trends,
        data.webhooks,
      ];
      // Every list fits one page here, so its count is its number of edges.
      expect(data.articles.edges.length).toBeLessThan(30);
      expect(lists.map((list) => [list.totalCount, list.totalCountIsExact])).toEqual(
        lists.map((list) => [list.edges.length, true]),
      );
      expect(data.webhooks.totalCount).toBe(2);
      expect(data.trends.totalCount).toBe(5);
      expect(lists.filter((list) => list.totalCount > 0).length).toBeGreaterThan(lists.length / 2);
    });
  });
}
