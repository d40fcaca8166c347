// The README's example queries and GraphiQL's default query, run as written against
// the bundled corpus, so the documentation stays true as the schema changes.

import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { GRAPHIQL_DEFAULT_QUERY } from '../../src/server/graphiql.ts';
import { LIMIT_SPECS } from '../../src/server/limits.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
// Subscriptions are watched over SSE or WebSocket (the feed tests cover those); the rest run here.
const examples = blocks.filter((block) => !block.trimStart().startsWith('subscription'));

describe('the README', () => {
  it('has the example queries it promises (search, facets, actor network)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.join('\n')).toMatch(/search\(/);
    expect(examples.join('\n')).toMatch(/facets/);
    expect(examples.join('\n')).toMatch(/coActors/);
  });

  it('lists every configurable limit with its variable and default', () => {
    for (const spec of LIMIT_SPECS) {
      expect(readme).toMatch(
        new RegExp(`\\| ${spec.default.toLocaleString('en-US').replace(/,/g, ',')}[^|]*\\| \`${spec.env}\``),
      );
    }
  });

  it('shows only operations that are valid against the schema, subscriptions included', () => {
    for (const block of blocks) expect(validate(schema, parse(block))).toEqual([]);
  });
});

const [target] = await testTargets();

describe(`the README's example queries on ${target}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(target!);
  });
  afterAll(async () => api.close());

  const documented = [
    ...examples.map((query, n) => [`README example ${n + 1}`, query] as const),
    ['GraphiQL default query', GRAPHIQL_DEFAULT_QUERY] as const,
  ];
  it.each(documented)('%s answers without errors, with data', async (_name, query) => {
    const result = await api.execute(parse(query));
    expect(result.errors).toBeUndefined();
    const json = JSON.stringify(result.data);
    // Every list has entries and nothing is missing (except what may be: an editorial
    // link has no score, and some pages name no category).
    expect(json).not.toMatch(/:\[\]|"totalCount":0|"(?!score"|category")[^"]+":null/);
  });
});
