// Persisted operations from the client preset's manifest, by hash (documentId and the
// Apollo APQ shape) over POST, GET and WebSocket, in both modes: `allow` runs documents
// too, `only` refuses every document that is not in the manifest.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.ts';
import { readManifest } from '../../src/server/persisted-operations.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';
import { executeOverWebSocket } from '../support/feed-clients.ts';

const PersistedCategories = graphql(`
  query PersistedCategories {
    categories { slug articleCount }
  }
`);
const PersistedActor = graphql(`
  query PersistedActor($slug: String!) {
    actor(slug: $slug) { name }
  }
`);

const MANIFEST_PATH = new URL('../generated/persisted-documents.json', import.meta.url).pathname;
const NOT_IN_MANIFEST = '{ categories { name } }';

/** The hash codegen embedded in a document ("sha256:<hex>"), and its hex alone (what Apollo clients send). */
function hashesOf(document: unknown) {
  const hash = (document as { __meta__: { hash: string } }).__meta__.hash;
  return { documentId: hash, hex: hash.replace(/^sha256:/, '') };
}

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

for (const target of await testTargets()) {
  describe(`persisted operations on ${target}`, () => {
    let api: TestApi;
    const urls: Record<'allow' | 'only', string> = { allow: '', only: '' };
    const apps: App[] = [];
    const manifest = readManifest(MANIFEST_PATH);
    const categories = hashesOf(PersistedCategories);
    const actor = hashesOf(PersistedActor);
    let expectedCategories: unknown;

    const post = async (mode: 'allow' | 'only', body: object): Promise<Answer> => {
      const response = await fetch(urls[mode], {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, ...(await response.json()) };
    };
    const get = async (mode: 'allow' | 'only', params: Record<string, string>): Promise<Answer> => {
      const response = await fetch(`${urls[mode]}?${new URLSearchParams(params)}`, {
        headers: { 'x-graphql-csrf': '1', accept: 'application/json' },
      });
      return { status: response.status, ...(await response.json()) };
    };
    /** Over graphql-ws; errors refused before execution arrive as its "error" message. */
    const overWebSocket = (mode: 'allow' | 'only', payload: Record<string, unknown>) =>
      executeOverWebSocket(
        urls[mode].replace('http', 'ws'),
        (payload.query as string | undefined) ?? '',
        (payload.variables as Record<string, unknown>) ?? {},
        undefined,
        { documentId: payload.documentId, extensions: payload.extensions },
      ).catch((errors: unknown) => {
        if (Array.isArray(errors)) return { errors: errors as NonNullable<Answer['errors']> };
        throw errors;
      });
    const apq = (hex: string) => JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hex } });

    beforeAll(async () => {
      api = await createTestApi(target);
      for (const mode of ['allow', 'only'] as const) {
        const app = createApp({ prisma: api.db.prisma, operations: { persistedOperations: { mode, manifest } } });
        apps.push(app);
        urls[mode] = `http://localhost:${await app.start(0)}/graphql`;
      }
      expectedCategories = (await api.data(PersistedCategories)) as unknown;
    });
    afterAll(async () => {
      for (const app of apps) await app.stop();
      await api?.close();
    });

    it('has the operations of test/ in the manifest codegen writes, by the hash it embeds', () => {
      expect(manifest.get(categories.hex)).toMatch(/^query PersistedCategories \{ categories \{/);
      expect(manifest.size).toBeGreaterThan(10);
    });

    for (const mode of ['allow', 'only'] as const) {
      it(`${mode}: runs an operation by hash over POST, as documentId and in the APQ shape`, async () => {
        expect(await post(mode, { documentId: categories.documentId })).toEqual({
          status: 200,
          data: expectedCategories,
        });
        const byApq = await post(mode, {
          extensions: { persistedQuery: { version: 1, sha256Hash: actor.hex } },
          variables: { slug: 'makei' },
        });
        expect(byApq).toEqual({ status: 200, data: { actor: { name: expect.stringMatching(/Mak/) } } });
      });

      it(`${mode}: runs an operation by hash over GET, so that a CDN can cache it`, async () => {
        expect(await get(mode, { documentId: categories.documentId })).toEqual({
          status: 200,
          data: expectedCategories,
        });
        expect(
          await get(mode, { extensions: apq(actor.hex), variables: JSON.stringify({ slug: 'makei' }) }),
        ).toMatchObject({ status: 200, data: { actor: { name: expect.any(String) } } });
      });

      it(`${mode}: runs an operation by hash over WebSocket`, async () => {
        expect(await overWebSocket(mode, { documentId: categories.documentId })).toEqual({
          data: expectedCategories,
        });
        expect(
          await overWebSocket(mode, {
            extensions: { persistedQuery: { version: 1, sha256Hash: actor.hex } },
            variables: { slug: 'makei' },
          }),
        ).toMatchObject({ data: { actor: { name: expect.any(String) } } });
      });

      it(`${mode}: answers an unknown hash with PERSISTED_QUERY_NOT_FOUND on every transport`, async () => {
        const unknown = 'sha256:'.concat('0'.repeat(64));
        const overPost = await post(mode, { documentId: unknown });
        expect(overPost.status).toBe(404);
        expect(overPost.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        expect((await get(mode, { extensions: apq('0'.repeat(64)) })).errors?.[0]?.extensions?.code).toBe(
          'PERSISTED_QUERY_NOT_FOUND',
        );
        const overSocket = (await overWebSocket(mode, { documentId: unknown })).errors?.[0];
        expect(overSocket?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        expect(overSocket?.message).toBeTruthy();
        expect(overSocket?.extensions).not.toHaveProperty('http'); // a status code means nothing over a socket
      });
    }

    it('allow: runs documents that are not in the manifest, on every transport', async () => {
      const expected = { categories: expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]) };
      expect(await post('allow', { query: NOT_IN_MANIFEST })).toMatchObject({ status: 200, data: expected });
      expect(await get('allow', { query: NOT_IN_MANIFEST })).toMatchObject({ status: 200, data: expected });
      expect(await overWebSocket('allow', { query: NOT_IN_MANIFEST })).toMatchObject({ data: expected });
    });

    it('only: refuses documents that are not in the manifest, introspection included, on every transport', async () => {
      for (const query of [NOT_IN_MANIFEST, '{ __schema { queryType { name } } }']) {
        const overPost = await post('only', { query });
        expect(overPost.status).toBe(400);
        expect(overPost.errors?.[0]).toMatchObject({
          message: expect.stringContaining('PERSISTED_OPERATIONS=only'),
          extensions: { code: 'PERSISTED_QUERY_ONLY' },
        });
        expect((await get('only', { query })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
        expect((await overWebSocket('only', { query })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
      }
    });

    it('only: runs a manifest document sent as its exact text', async () => {
      const text = manifest.get(categories.hex)!;
      expect(await post('only', { query: text })).toEqual({ status: 200, data: expectedCategories });
      expect(await overWebSocket('only', { query: text })).toEqual({ data: expectedCategories });
    });
  });
}
