// Arguments a client gets wrong: each fails only its own field, at its own path, with
// BAD_USER_INPUT (ids, cursors, slugs, dates, filters; queries and subscriptions); unknown
// slugs in subscriptions are refused at once, in query filters they match nothing; the
// cost model counts input lists and no statement grows with one; trends has totalCount.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';
import { subscribeOverSse, subscribeOverWebSocket, waitUntil } from '../support/feed-clients.ts';

interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

interface Result {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorJson[];
}

const FEED = `
  subscription Feed($category: String, $actor: String, $after: String) {
    trendPublished(category: $category, actor: $actor, after: $after) { sequence }
  }
`;
const ARTICLE_WITH_LINKS = 'minsk-aims-to-steer-clear-of-new-commitments-to-moscow-2017-08-07';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Every error of a result, as (path, code), to compare whole lists at once. */
const errorsOf = (result: Result) =>
  (result.errors ?? []).map((error) => ({ path: error.path?.join('.'), code: error.extensions?.code }));

for (const target of await testTargets()) {
  describe(`arguments a client gets wrong, on ${target}`, () => {
    let api: TestApi;
    let app: App;
    let wsUrl: string;
    let httpUrl: string;
    const query = async (source: string, variables?: Record<string, unknown>): Promise<Result> => {
      const response = await app.yoga.fetch('http://archive.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: source, variables }),
      });
      return (await response.json()) as Result;
    };

    const dataOf = async <Data>(source: string, variables?: Record<string, unknown>): Promise<Data> => {
      const result = await query(source, variables);
      if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as Data;
    };

    beforeAll(async () => {
      api = await createTestApi(target);
      app = api.app;
      const port = await app.start(0);
      wsUrl = `ws://localhost:${port}/graphql`;
      httpUrl = `http://localhost:${port}/graphql`;
    });
    afterAll(async () => api?.close());

    describe('fail only their own field (11.2)', () => {
      it('a global id the API did not issue fails node alone; its siblings answer', async () => {
        const result = await query(
          '{ node(id: "bogus") { id } actor(slug: "makei") { name } articles(first: 1) { totalCount } }',
        );
        expect(errorsOf(result)).toEqual([{ path: 'node', code: 'BAD_USER_INPUT' }]);
        expect(result.errors?.[0]?.message).toBe('"bogus" is not an id this API issued.');
        expect(result.data).toMatchObject({
          node: null,
          actor: { name: 'Vladimir Makei' },
          articles: { totalCount: expect.any(Number) },
        });
      });

      it('an id beyond the database integers is not an id this API issued, not a server error', async () => {
        const result = await query('query($id: ID!) { node(id: $id) { id } categories { slug } }', {
          id: base64('Article:99999999999'),
        });
        expect(errorsOf(result)).toEqual([{ path: 'node', code: 'BAD_USER_INPUT' }]);
        expect(result.data?.categories).toEqual([{ slug: 'security' }]);
      });

      it('nodes answers null for an entry it cannot use, with the error at that entry', async () => {
        const { actor } = await dataOf<{ actor: { id: string } }>('{ actor(slug: "makei") { id } }');
        const result = await query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
          ids: [actor.id, 'bogus', base64('Actor:999999'), base64('Planet:1')],
        });
        expect(result.data?.nodes).toEqual([{ id: actor.id }, null, null, null]);
        expect(errorsOf(result)).toEqual([
          { path: 'nodes.1', code: 'BAD_USER_INPUT' },
          { path: 'nodes.3', code: 'BAD_USER_INPUT' },
        ]);
      });

      it('a cursor a nested list did not issue fails that list, not the article that holds it', async () => {
        for (const field of ['related', 'actors']) {
          const result = await query(
            `query($slug: String!, $after: String) { article(slug: $slug) { title ${field}(after: $after) { totalCount } } categories { slug } }`,
            { slug: ARTICLE_WITH_LINKS, after: 'bogus' },
          );
          expect(errorsOf(result), field).toEqual([{ path: `article.${field}`, code: 'BAD_USER_INPUT' }]);
          expect(result.data?.categories).toEqual([{ slug: 'security' }]);
        }
      });

      it('a slug over its bound fails its own field; its siblings answer', async () => {
        const result = await query('query($slug: String!) { actor(slug: $slug) { name } categories { slug } }', {
          slug: 'x'.repeat(201),
        });
        expect(result.errors).toEqual([
          expect.objectContaining({
            message: '"slug" may be at most 200 characters long; got 201',
            path: ['actor'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'slug', limit: 200 },
          }),
        ]);
        expect(result.data).toEqual({ actor: null, categories: [{ slug: 'security' }] });
      });

      it('an unreadable date fails the field that received it, with its path, as a literal or a variable', async () => {
        const withVariable =
          'query($d: DateTime) { articles(filter: { publishedAfter: $d }) { totalCount } categories { slug } }';
        for (const [source, variables] of [
          ['{ articles(filter: { publishedAfter: "yesterday" }) { totalCount } categories { slug } }', undefined],
          [withVariable, { d: 'yesterday' }],
          [withVariable, { d: '2017-02-30' }],
          [withVariable, { d: '2017-05-15T10:00' }],
          [withVariable, { d: 42 }],
        ] as const) {
          const result = await query(source, variables);
          // One error, the date's, at its field: not a document error without a path. The
          // sibling raised nothing; `data` is null only because `articles` is non-null.
          expect(result.errors, JSON.stringify(variables)).toEqual([
            expect.objectContaining({
              path: ['articles'],
              message: expect.stringMatching(
                /^"filter.publishedAfter" must be an ISO-8601 date-time with "Z" or an offset/,
              ),
              extensions: { code: 'BAD_USER_INPUT', argument: 'filter.publishedAfter' },
            }),
          ]);
          expect(result).toHaveProperty('data', null);
        }
        const fine = await query(withVariable, { d: '2017-05-15T10:57:00+02:00' });
        expect(fine.errors).toBeUndefined();
      });

      it('a filter over its bound fails its own field and runs no SQL', async () => {
        api.statements.length = 0;
        const slugs = Array.from({ length: 21 }, (_, n) => `no-such-${n}`);
        const result = await query('query($slugs: [String!]) { articles(filter: { actors: $slugs }) { totalCount } }', {
          slugs,
        });
        expect(result.errors).toEqual([
          expect.objectContaining({
            message: '"filter.actors" may hold at most 20 slugs; got 21',
            path: ['articles'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'filter.actors', limit: 20 },
          }),
        ]);
        expect(api.statements).toEqual([]);
      });

      it('an argument over its bound no longer poisons the cost of its siblings', async () => {
        // The cost pass reads every field's arguments once, for the whole operation; it
        // used to multiply by the refused size and fail every root field.
        const result = await query(`{
          actor(slug: "makei") { coActors(first: 100000) { actor { articles(first: 100) { edges { node { title } } } } } }
          categories { slug }
        }`);
        expect(errorsOf(result)).toEqual([{ path: 'actor.coActors', code: 'BAD_USER_INPUT' }]);
        expect(result.data).toEqual({ actor: null, categories: [{ slug: 'security' }] });
      });

      it('a bad cursor or an oversized slug fails a subscription at once, over WebSocket and SSE', async () => {
        for (const variables of [{ after: base64url('["trend",-5]') }, { category: 'x'.repeat(201) }]) {
          for (const subscription of [
            subscribeOverWebSocket(wsUrl, FEED, variables),
            subscribeOverSse(httpUrl, FEED, variables),
          ]) {
            await subscription.ended;
            expect(subscription.errors).toEqual([
              [
                expect.objectContaining({
                  path: ['trendPublished'],
                  extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
                }),
              ],
            ]);
          }
        }
        expect(app.hub.subscriberCount).toBe(0);
      });
    });

    describe('unknown slugs (11.4)', () => {
      it('are refused at once by trendPublished, over WebSocket and SSE', async () => {
        for (const [variables, message] of [
          [{ category: 'no-such' }, 'unknown category "no-such": no category has this slug'],
          [{ actor: 'no-such' }, 'unknown actor "no-such": no actor or alias has this slug'],
        ] as const) {
          for (const subscription of [
            subscribeOverWebSocket(wsUrl, FEED, variables),
            subscribeOverSse(httpUrl, FEED, variables),
          ]) {
            const started = Date.now();
            await subscription.ended;
            expect(Date.now() - started).toBeLessThan(2000);
            expect(subscription.errors).toEqual([
              [expect.objectContaining({ message, path: ['trendPublished'], extensions: { code: 'BAD_USER_INPUT' } })],
            ]);
          }
        }
        expect(app.hub.subscriberCount).toBe(0);
      });

      it('are accepted by trendPublished when they name a category, an actor or an alias', async () => {
        const subscriptions = [
          subscribeOverWebSocket(wsUrl, FEED, { category: 'security', actor: 'makey' }),
          subscribeOverSse(httpUrl, FEED, { actor: 'vladimir-makei' }),
        ];
        await waitUntil(() => app.hub.subscriberCount === 2, 5000, 'two subscribers');
        expect(subscriptions.flatMap((subscription) => subscription.errors)).toEqual([]);
        for (const subscription of subscriptions) await subscription.close();
      });

      it('match nothing in query filters: empty lists and zero counts, not errors', async () => {
        const result = await query(`{
          byCategory: articles(filter: { category: "no-such" }) { totalCount edges { cursor } facets { years { year } } }
          byActor: articles(filter: { actors: ["makei", "no-such"] }) { totalCount edges { cursor } }
          searched: search(query: "Minsk", filter: { category: "no-such" }) { totalCount edges { cursor } }
          trendsByCategory: trends(category: "no-such") { totalCount edges { cursor } }
          trendsByActor: trends(actor: "no-such") { totalCount edges { cursor } }
        }`);
        expect(result.errors).toBeUndefined();
        expect(result.data).toEqual({
          byCategory: { totalCount: 0, edges: [], facets: { years: [] } },
          byActor: { totalCount: 0, edges: [] },
          searched: { totalCount: 0, edges: [] },
          trendsByCategory: { totalCount: 0, edges: [] },
          trendsByActor: { totalCount: 0, edges: [] },
        });
      });
    });

    describe('trends.totalCount (11.5)', () => {
      it('counts every trend item, or those matching the filter, in all pages', async () => {
        const result = await query(`{
          all: trends(first: 2) { totalCount edges { node { sequence } } }
          everything: trends(first: 100) { edges { cursor } }
          security: trends(first: 1, category: "security") { totalCount }
          makei: trends(first: 1, actor: "makey") { totalCount }
        }`);
        expect(result.errors).toBeUndefined();
        const data = result.data as Record<string, { totalCount: number; edges: unknown[] }>;
        expect(data.all!.edges).toHaveLength(2);
        expect(data.all!.totalCount).toBe(data.everything!.edges.length);
        expect(data.all!.totalCount).toBe(await api.db.prisma.trendEvent.count());
        expect(data.security!.totalCount).toBe(
          await api.db.prisma.trendEvent.count({ where: { article: { category: { slug: 'security' } } } }),
        );
        expect(data.makei!.totalCount).toBe(
          await api.db.prisma.trendEvent.count({
            where: { article: { mentions: { some: { actor: { aliases: { some: { slug: 'makey' } } } } } } },
          }),
        );
        expect(data.makei!.totalCount).toBeGreaterThan(0);
      });
    });

    describe('cursors with impossible values (17.7)', () => {
      it('are refused with BAD_USER_INPUT, not answered with an empty page', async () => {
        const prismaCursor = (value: string) => base64(`GPC:${value}`);
        const cases: [string, string][] = [
          ['{ trends(after: $c) { totalCount } }', base64url('["trend",-5]')],
          ['{ trends(after: $c) { totalCount } }', base64url('["trend",2147483648]')],
          ['{ trends(after: $c) { totalCount } }', base64url('["trend",1.5]')],
          ['{ articles(after: $c) { totalCount } }', base64url('["date","2017-05-15T08:57:00.000Z",99999999999]')],
          ['{ articles(after: $c) { totalCount } }', base64url('["date","NaN",1]')],
          ['{ articles(after: $c) { totalCount } }', base64url('["date","2017-02-30T00:00:00.000Z",1]')],
          ['{ articles(after: $c) { totalCount } }', base64url('["date","+275760-09-13T00:00:00.000Z",1]')],
          ['{ search(query: "Minsk", after: $c) { totalCount } }', base64url('["rank",0.5,-1]')],
          ['{ actors(after: $c) { totalCount } }', prismaCursor('N:-5')],
          ['{ actors(after: $c) { totalCount } }', prismaCursor('N:99999999999')],
          ['{ actors(after: $c) { totalCount } }', prismaCursor('S:makei')],
          ['{ actors(after: $c) { totalCount } }', 'garbage'],
          [`{ article(slug: "${ARTICLE_WITH_LINKS}") { related(after: $c) { totalCount } } }`, prismaCursor('N:-1')],
          [
            `{ article(slug: "${ARTICLE_WITH_LINKS}") { actors(after: $c) { totalCount } } }`,
            prismaCursor('T:["N:-1","N:2"]'),
          ],
        ];
        for (const [selection, cursor] of cases) {
          const result = await query(`query($c: String) ${selection}`, { c: cursor });
          expect(result.errors?.[0], `${selection} ${cursor}`).toMatchObject({
            message: expect.stringMatching(/^invalid cursor/),
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
      });

      it('still pages with the cursors the API issued', async () => {
        type Page = { actors: { edges: { cursor: string; node: { id: string } }[] } };
        const first = await dataOf<Page>('{ actors(first: 2) { edges { cursor node { id } } } }');
        const [one, two] = first.actors.edges;
        const next = await dataOf<Page>(
          'query($c: String) { actors(first: 1, after: $c) { edges { cursor node { id } } } }',
          {
            c: one!.cursor,
          },
        );
        expect(next.actors.edges.map((edge) => edge.node.id)).toEqual([two!.node.id]);
      });
    });

    describe('input lists: cost and statement size (17.1)', () => {
      const costOf = async (slugs: number) => {
        const actors = JSON.stringify(Array.from({ length: slugs }, (_, n) => `slug-${n}`));
        const result = await query(`{ articles(first: 100, filter: { actors: ${actors} }) { edges { node {
          actors(first: 100) { edges { node { articles(first: 100) { totalCount } } } } } } } }`);
        expect(result.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
        return result.errors![0]!.extensions!.cost as number;
      };

      it('the cost model charges every item of an input list', async () => {
        expect((await costOf(20)) - (await costOf(1))).toBe(19);
      });

      it('an actor filter is the same statement text whatever its number of slugs', async () => {
        const statementsFor = async (slugs: string[]) => {
          api.statements.length = 0;
          const result = await query('query($s: [String!]) { articles(filter: { actors: $s }) { totalCount } }', {
            s: slugs,
          });
          expect(result.errors).toBeUndefined();
          return api.statements.filter((sql) => sql.includes('"Mention"'));
        };
        const one = await statementsFor(['makei']);
        const twenty = await statementsFor(['makei', ...Array.from({ length: 19 }, (_, n) => `no-such-${n}`)]);
        expect(one).toHaveLength(1); // the page, which counts its matches in the same statement
        expect(twenty).toEqual(one);
      });

      it('co-actors and shared actors of many parents are one statement of the same text as of one', async () => {
        const actors = await dataOf<{ actors: { edges: { node: { id: string } }[] } }>(
          '{ actors(first: 5) { edges { node { id } } } }',
        );
        const links = await dataOf<{ article: { related: { edges: { node: { id: string } }[] } } }>(
          `{ article(slug: "${ARTICLE_WITH_LINKS}") { related(first: 5) { edges { node { id } } } } }`,
        );
        const statementsFor = async (ids: string[], marker: string) => {
          api.statements.length = 0;
          await dataOf(
            `query($ids: [ID!]!) { nodes(ids: $ids) {
              ... on Actor { coActors(first: 2) { sharedArticles } }
              ... on RelatedLink { sharedActors { name } }
            } }`,
            { ids },
          );
          return api.statements.filter((sql) => sql.includes(marker));
        };
        for (const [ids, marker] of [
          [actors.actors.edges.map((edge) => edge.node.id), '"Mention" m1'],
          // The links themselves are read by another statement; this one finds the actors they share.
          [links.article.related.edges.map((edge) => edge.node.id), 'JOIN "Mention" ms'],
        ] as const) {
          expect(ids.length).toBeGreaterThan(1);
          const one = await statementsFor(ids.slice(0, 1), marker);
          expect(one).toHaveLength(1);
          expect(await statementsFor([...ids], marker)).toEqual(one);
        }
      });

      it('nodes(ids:) and the Prisma reads beneath it are the same statement texts for 2 ids as for 100', async () => {
        const actors = await dataOf<{ actors: { edges: { node: { id: string } }[] } }>(
          '{ actors(first: 100) { edges { node { id } } } }',
        );
        const ids = actors.actors.edges.map((edge) => edge.node.id);
        expect(ids.length).toBeGreaterThan(10);
        const statementsFor = async (count: number) => {
          api.statements.length = 0;
          const many = Array.from({ length: count }, (_, n) => ids[n % ids.length]!);
          const data = await dataOf<{ nodes: unknown[] }>(
            'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Actor { name aliases } } }',
            { ids: many },
          );
          expect(data.nodes).toHaveLength(count);
          return [...api.statements].sort();
        };
        const two = await statementsFor(2);
        expect(two.length).toBeGreaterThan(0);
        expect(await statementsFor(100)).toEqual(two);
      });
    });
  });
}
