// Fuzzing: generated pages through ingestDocument must leave the archive consistent,
// and generated valid queries through the server must never fail internally.

import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { DocumentRejectedError } from '../../src/ingest/parse-document.ts';
import { schema } from '../../src/schema/index.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { page } from '../support/pages.ts';

const TITLES = ['Minsk and Moscow', 'Kyiv talks', 'A quiet week', 'Warsaw reacts', 'NATO drills'];
const DATES = ['May 1, 2017 10:00', 'May 2, 2017 10:00', 'June 5, 2018 09:30'];
const SENTENCES = [
  'Foreign Minister Makei met Sergei Lavrov.',
  'President Lukashenka spoke in Minsk.',
  'The Kremlin and Brussels disagreed.',
  'Deputy Foreign Minister Oleg Kravchenko visited Vilnius.',
  'Nothing happened.',
  'NATO and the EU watched Warsaw.',
];
const CATEGORIES = ['Security', 'Politics', 'Economy', ''];

const excerptArbitrary = fc.record({
  title: fc.constantFrom(...TITLES),
  date: fc.constantFrom(...DATES),
  paragraphs: fc.array(fc.constantFrom(...SENTENCES), { minLength: 1, maxLength: 2 }),
});
const pageArbitrary = fc
  .record({
    category: fc.constantFrom(...CATEGORIES),
    title: fc.constantFrom(...TITLES),
    date: fc.constantFrom(...DATES),
    paragraphs: fc.array(fc.constantFrom(...SENTENCES), { minLength: 0, maxLength: 4 }),
    excerpts: fc.array(excerptArbitrary, { maxLength: 3 }),
  })
  .map(({ category, title, date, paragraphs, excerpts }) =>
    page(category ? `${category}: ${title}` : title, date, paragraphs, excerpts),
  );

/** Invariants of a stored archive, as SQL counting the rows that break them (all must be 0). */
async function brokenInvariants(db: TestDatabase): Promise<Record<string, number>> {
  const count = async (sql: string) => Number((await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);
  return {
    fullArticlesWithoutOneTrendEvent: await count(
      `SELECT count(*) AS n FROM "Article" a WHERE NOT a."isStub" AND (SELECT count(*) FROM "TrendEvent" t WHERE t."articleId" = a.id) <> 1`,
    ),
    stubsWithTrendEvents: await count(
      `SELECT count(*) AS n FROM "TrendEvent" t JOIN "Article" a ON a.id = t."articleId" WHERE a."isStub"`,
    ),
    trendSequenceGaps: await count(`SELECT (coalesce(max(sequence), 0) - count(*)) AS n FROM "TrendEvent"`),
    linksToThemselves: await count(`SELECT count(*) AS n FROM "RelatedLink" WHERE "sourceId" = "targetId"`),
    linksFromStubs: await count(
      `SELECT count(*) AS n FROM "RelatedLink" l JOIN "Article" a ON a.id = l."sourceId" WHERE a."isStub"`,
    ),
    computedLinksToStubs: await count(
      `SELECT count(*) AS n FROM "RelatedLink" l JOIN "Article" a ON a.id = l."targetId" WHERE l.kind = 'COMPUTED' AND a."isStub"`,
    ),
    linkPositionHoles: await count(
      `SELECT count(*) AS n FROM (SELECT "sourceId", max(position) + 1 - count(*) AS hole FROM "RelatedLink" GROUP BY "sourceId") p WHERE hole <> 0`,
    ),
    computedBeforeEditorial: await count(
      `SELECT count(*) AS n FROM "RelatedLink" c JOIN "RelatedLink" e ON e."sourceId" = c."sourceId"
       WHERE c.kind = 'COMPUTED' AND e.kind = 'EDITORIAL' AND c.position < e.position`,
    ),
    tooManyComputedLinks: await count(
      `SELECT count(*) AS n FROM (SELECT "sourceId" FROM "RelatedLink" WHERE kind = 'COMPUTED' GROUP BY "sourceId" HAVING count(*) > 5) x`,
    ),
    scoresOutOfRange: await count(
      `SELECT count(*) AS n FROM "RelatedLink" WHERE kind = 'COMPUTED' AND (score IS NULL OR score < 0 OR score > 1)`,
    ),
    nonPositiveMentionCounts: await count(`SELECT count(*) AS n FROM "Mention" WHERE count < 1`),
    sourcesOfStubs: await count(
      `SELECT count(*) AS n FROM "SourceDocument" s JOIN "Article" a ON a.id = s."articleId" WHERE a."isStub"`,
    ),
    actorRarityCountsOff: await count(
      `SELECT count(*) AS n FROM "Actor" ac WHERE ac."fullArticleCount" <> (
         SELECT count(*) FROM "Mention" m JOIN "Article" a ON a.id = m."articleId" WHERE m."actorId" = ac.id AND NOT a."isStub")`,
    ),
    actorsWithoutAliases: await count(
      `SELECT count(*) AS n FROM "Actor" ac WHERE NOT EXISTS (SELECT 1 FROM "ActorAlias" al WHERE al."actorId" = ac.id)`,
    ),
  };
}

describe('ingesting generated pages', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(async () => db?.dispose());

  it('keeps the archive consistent whatever pages arrive, in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pageArbitrary, { minLength: 1, maxLength: 4 }), async (pages) => {
        for (const [n, text] of pages.entries()) {
          try {
            await ingestDocument(db.prisma, text, `generated-${n}.txt`);
          } catch (error) {
            if (!(error instanceof DocumentRejectedError)) throw error;
          }
        }
        const broken = await brokenInvariants(db);
        expect(Object.entries(broken).filter(([, n]) => n !== 0)).toEqual([]);
      }),
      { numRuns: 25, seed: 20261123 },
    );
  });
});

// ---- Generated queries ----

const STRINGS = [
  'security',
  'makey',
  'Minsk',
  '"security donor" -Syria',
  '',
  'Еўрарадыё',
  "'; DROP TABLE x; --",
  'ünïcode ☃',
];
const INTS = [0, 1, 2, 5, 20];

type Choose = <T>(items: readonly T[]) => T;

function literalFor(type: GraphQLInputType, choose: Choose, depth: number): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return `[${literalFor(nullable.ofType, choose, depth)}]`;
  if (isEnumType(nullable)) return choose(nullable.getValues()).name;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter(
      (field) => isNonNullType(field.type) || choose([true, false]),
    );
    return `{ ${fields.map((field) => `${field.name}: ${literalFor(field.type, choose, depth + 1)}`).join(', ')} }`;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
        return String(choose(INTS));
      case 'Boolean':
        return choose(['true', 'false']);
      case 'DateTime':
        return JSON.stringify(choose(['2016-01-01T00:00:00Z', '2018-06-30T12:00:00Z']));
      case 'ID':
        return JSON.stringify(choose(['QXJ0aWNsZTox', 'QWN0b3I6MQ==', 'garbage']));
      default:
        return JSON.stringify(choose(STRINGS));
    }
  }
  throw new Error(`no literal for ${String(type)}`);
}

function argumentsFor(args: readonly GraphQLArgument[], choose: Choose): string {
  // Cursors are tested on their own (hardening.test.ts); random strings would only be refused.
  const optional = args.filter((arg) => !['after', 'before'].includes(arg.name));
  const chosen = optional.filter(
    (arg) =>
      isNonNullType(arg.type) ||
      (['first', 'last'].includes(arg.name) ? choose([true, true, false]) : choose([true, false, false])),
  );
  const withoutConflicts = chosen.filter(
    (arg) => !(arg.name === 'last' && chosen.some((other) => other.name === 'first')),
  );
  return withoutConflicts.length
    ? `(${withoutConflicts.map((arg) => `${arg.name}: ${literalFor(arg.type, choose, 0)}`).join(', ')})`
    : '';
}

function selectionFor(field: GraphQLField<unknown, unknown>, choose: Choose, depth: number): string {
  const named = getNamedType(field.type);
  const args = argumentsFor(field.args, choose);
  if (isLeafType(named)) return `${field.name}${args}`;
  if (!isObjectType(named) || depth >= 4) return `${field.name}${args} { __typename }`;
  const fields = Object.values(named.getFields());
  const picked = [...new Set([choose(fields), choose(fields), choose(fields)])];
  return `${field.name}${args} { ${picked.map((child) => selectionFor(child, choose, depth + 1)).join(' ')} }`;
}

const queryArbitrary = fc.array(fc.nat(), { minLength: 200, maxLength: 200 }).map((choices) => {
  let next = 0;
  const choose: Choose = (items) => items[choices[next++ % choices.length]! % items.length]!;
  const rootFields = Object.values(schema.getQueryType()!.getFields());
  const picked = [...new Set([choose(rootFields), choose(rootFields)])];
  return `{ ${picked.map((field) => selectionFor(field, choose, 1)).join(' ')} }`;
});

describe('generated queries through the server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi('pglite');
  });
  afterAll(async () => api?.close());

  it('never answer with a 5xx or an internal error', async () => {
    let executed = 0;
    await fc.assert(
      fc.asyncProperty(queryArbitrary, async (query) => {
        const response = await api.app.yoga.fetch('http://archive.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        expect(response.status).toBeLessThan(500);
        const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
        const internal = (body.errors ?? []).filter(
          (error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.',
        );
        expect(internal, query).toEqual([]);
        if ((body as { data?: unknown }).data) executed++;
      }),
      { numRuns: 150, seed: 42 },
    );
    // The generator is only useful if most queries get past validation and run.
    expect(executed).toBeGreaterThan(100);
  });
});
