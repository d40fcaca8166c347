// Every argument of the printed schema has a documented bound, and the server keeps it:
// a property-based walk over schema/schema.graphql sends each argument (and each field of
// an input argument) values beyond the bound its description states, and expects a typed
// refusal naming the argument and the bound, within a second, before any SQL for a root
// field. Values exactly at the bound are never refused for their size.

import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';

const printed = buildSchema(await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));

/** A bound as the description states it (the last sentence of every bounded argument). */
type Bound =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'length'; max: number }
  | { kind: 'bytes'; max: number }
  | { kind: 'list'; maxItems: number; maxLength: number }
  | { kind: 'date' };

const toNumber = (text: string) => Number(text.replaceAll(',', ''));

function documentedBound(element: GraphQLArgument | GraphQLInputField): Bound | null {
  const description = element.description ?? '';
  let match = /From (-?[\d,]+) to ([\d,]+)\.$/.exec(description);
  if (match) return { kind: 'integer', min: toNumber(match[1]!), max: toNumber(match[2]!) };
  match = /At most ([\d,]+) \w+, each at most ([\d,]+) characters\.$/.exec(description);
  if (match) return { kind: 'list', maxItems: toNumber(match[1]!), maxLength: toNumber(match[2]!) };
  match = /At most ([\d,]+) characters\.$/.exec(description);
  if (match) return { kind: 'length', max: toNumber(match[1]!) };
  match = /At most ([\d,]+) bytes of UTF-8\.$/.exec(description);
  if (match) return { kind: 'bytes', max: toNumber(match[1]!) };
  if (getNamedType(element.type).name === 'DateTime') return { kind: 'date' };
  return null;
}

/** One argument, or one field of an input-object argument, and how to reach it. */
interface Target {
  name: string;
  operation: 'query' | 'mutation' | 'subscription';
  /** The selection that reaches the field, with `$v` passed to the argument. */
  selection: string;
  variableType: string;
  /** The variable's value with `value` in place of the argument (or input field). */
  variable: (value: unknown) => unknown;
  /** As the server names it in `extensions.argument`. */
  argumentPath: string;
  bound: Bound;
  rootField: boolean;
}

/** A value for a required argument that is not the one under test. */
function filler(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, filler(field.type)]),
    );
  }
  if (isEnumType(nullable)) return nullable.getValues()[0]!.name;
  return nullable.name === 'Int' ? 1 : 'x';
}

/** How each object type with arguments is reached from Query: the shortest path without required arguments. */
function reachFromQuery(): Map<string, (inner: string) => string> {
  const reach = new Map<string, (inner: string) => string>([['Query', (inner) => inner]]);
  const queue = ['Query'];
  while (queue.length > 0) {
    const typeName = queue.shift()!;
    const type = printed.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || reach.has(named.name)) continue;
      if (field.args.some((arg) => isNonNullType(arg.type))) continue;
      const args = field.args.some((arg) => arg.name === 'first') ? '(first: 1)' : '';
      const outer = reach.get(typeName)!;
      reach.set(named.name, (inner) => outer(`${field.name}${args} { ${inner} }`));
      queue.push(named.name);
    }
  }
  return reach;
}

function targetsOf(): { targets: Target[]; unbounded: string[] } {
  const reach = reachFromQuery();
  const targets: Target[] = [];
  const unbounded: string[] = [];
  const roots = new Map<GraphQLNamedType, Target['operation']>([
    [printed.getQueryType()!, 'query'],
    [printed.getMutationType()!, 'mutation'],
    [printed.getSubscriptionType()!, 'subscription'],
  ]);
  for (const type of Object.values(printed.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const operation = roots.get(type) ?? 'query';
    const around = roots.has(type) ? (inner: string) => inner : reach.get(type.name);
    for (const field of Object.values(type.getFields() as Record<string, GraphQLField<unknown, unknown>>)) {
      for (const arg of field.args) {
        const selectionFor = (argument: string) => {
          const others = field.args
            .filter((other) => other !== arg && isNonNullType(other.type))
            .map((other) => `${other.name}: ${JSON.stringify(filler(other.type)).replace(/"(\w+)":/g, '$1:')}`);
          const args = [`${argument}: $v`, ...others].join(', ');
          const named = getNamedType(field.type);
          const inner = `${field.name}(${args})${isLeafType(named) ? '' : ' { __typename }'}`;
          if (!around) throw new Error(`${type.name} cannot be reached from Query without required arguments`);
          return around(inner);
        };
        const base = {
          operation,
          selection: selectionFor(arg.name),
          variableType: String(arg.type),
          rootField: roots.has(type),
        };
        const nullable = getNullableType(arg.type);
        if (isInputObjectType(nullable)) {
          for (const inputField of Object.values(nullable.getFields())) {
            const bound = documentedBound(inputField);
            const name = `${type.name}.${field.name}(${arg.name}:).${inputField.name}`;
            if (!bound) {
              if (!isEnumType(getNamedType(inputField.type)) && getNamedType(inputField.type).name !== 'Boolean') {
                unbounded.push(name);
              }
              continue;
            }
            targets.push({
              ...base,
              name,
              argumentPath: `${arg.name}.${inputField.name}`,
              bound,
              variable: (value) => ({ ...(filler(nullable) as object), [inputField.name]: value }),
            });
          }
          continue;
        }
        const bound = documentedBound(arg);
        const name = `${type.name}.${field.name}(${arg.name}:)`;
        if (!bound) {
          if (!isEnumType(getNamedType(arg.type)) && getNamedType(arg.type).name !== 'Boolean') unbounded.push(name);
          continue;
        }
        targets.push({ ...base, name, argumentPath: arg.name, bound, variable: (value) => value });
      }
    }
  }
  return { targets, unbounded };
}

const { targets, unbounded } = targetsOf();

const CHARACTERS = ['x', 'ж', '字', '😀'];
const repeatTo = (length: number, character: string) => character.repeat(Math.ceil(length / character.length));

/** A value beyond the bound, and the `limit` the refusal must name (none for an unreadable date). */
function oversized(bound: Bound): fc.Arbitrary<{ value: unknown; limit: number | undefined }> {
  switch (bound.kind) {
    case 'integer':
      return fc
        .oneof(
          fc.integer({ min: bound.max + 1, max: 2 ** 31 - 1 }),
          fc.integer({ min: -(2 ** 31), max: bound.min - 1 }),
        )
        .map((value) => ({ value, limit: bound.max }));
    case 'length':
      return fc
        .tuple(
          fc.integer({ min: bound.max + 1, max: Math.min(bound.max * 100, 100_000) }),
          fc.constantFrom(...CHARACTERS),
        )
        .map(([length, character]) => ({ value: repeatTo(length, character), limit: bound.max }));
    case 'bytes':
      // Within the HTTP body limit, which would refuse a larger request before GraphQL.
      return fc
        .integer({ min: bound.max + 1, max: bound.max + 40_000 })
        .map((bytes) => ({ value: 'x'.repeat(bytes), limit: bound.max }));
    case 'list':
      return fc.oneof(
        fc
          .integer({ min: bound.maxItems + 1, max: Math.max(bound.maxItems * 50, 1000) })
          .map((items) => ({ value: Array.from({ length: items }, (_, n) => `item-${n}`), limit: bound.maxItems })),
        fc
          .tuple(
            fc.integer({ min: 0, max: bound.maxItems - 1 }),
            fc.integer({ min: bound.maxLength + 1, max: bound.maxLength * 100 }),
          )
          .map(([position, length]) => ({
            value: Array.from({ length: position + 1 }, (_, n) => (n === position ? 'y'.repeat(length) : `item-${n}`)),
            limit: bound.maxLength,
          })),
      );
    case 'date':
      return fc
        .oneof(
          fc.string({ maxLength: 30 }),
          fc.integer({ min: 31, max: 100_000 }).map((n) => '9'.repeat(n)),
        )
        .filter((text) => !/^\d{4}-\d{2}-\d{2}/.test(text))
        .map((value) => ({ value, limit: undefined }));
  }
}

/** The largest value within the bound. */
function atBound(bound: Bound): unknown {
  switch (bound.kind) {
    case 'integer':
      return bound.max;
    case 'length':
      return 'x'.repeat(bound.max);
    case 'bytes':
      return 'x'.repeat(bound.max);
    case 'list':
      return Array.from({ length: bound.maxItems }, () => 'y'.repeat(bound.maxLength));
    case 'date':
      return '2017-05-15T08:57:00Z';
  }
}

interface Sample {
  subject: Target;
  value: unknown;
  limit: number | undefined;
}

/** A sample that fast-check reports by its argument and size, not by its (megabytes of) value. */
function readable(sample: Sample): Sample {
  const { value } = sample;
  const size = Array.isArray(value)
    ? `${value.length} items, longest ${Math.max(...value.map((item) => String(item).length))} characters`
    : typeof value === 'string'
      ? `${value.length} characters, ${JSON.stringify(value.slice(0, 12))}...`
      : JSON.stringify(value);
  return Object.assign(sample, { [fc.toStringMethod]: () => `${sample.subject.name} with ${size}` });
}

interface Answer {
  ms: number;
  errors: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

describe('the printed schema', () => {
  it('documents a bound for every argument and input field that can be oversized', () => {
    expect(unbounded).toEqual([]);
    expect(targets.length).toBeGreaterThan(40);
  });
});

for (const target of await testTargets()) {
  describe(`argument bounds on ${target}`, () => {
    let api: TestApi;
    let app: App;
    let url: string;

    beforeAll(async () => {
      api = await createTestApi(target);
      // The walk sends hundreds of requests from one address.
      app = createApp({ prisma: api.db.prisma, limits: { rateLimitPoints: 1_000_000 } });
      url = `http://localhost:${await app.start(0)}/graphql`;
    });
    afterAll(async () => {
      await app?.stop();
      await api?.close();
    });

    async function send(subject: Target, value: unknown): Promise<Answer> {
      const document = `${subject.operation}($v: ${subject.variableType}) { ${subject.selection} }`;
      const subscription = subject.operation === 'subscription';
      const started = Date.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: subscription ? 'text/event-stream' : 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query: document, variables: { v: subject.variable(value) } }),
      });
      const text = await response.text(); // a refused subscription's stream ends after its one result
      const ms = Date.now() - started;
      const bodies = subscription
        ? text
            .split('\n')
            .filter((line) => line.startsWith('data: ') && line.length > 6)
            .map((line) => JSON.parse(line.slice(6)))
        : [JSON.parse(text)];
      return { ms, errors: bodies.flatMap((body) => body.errors ?? []) };
    }

    // First, so that every path has been run once (warm) before the property times refusals.
    it('never refuses a value exactly at its bound for its size', async () => {
      for (const subject of targets) {
        const answer = await send(subject, atBound(subject.bound));
        expect(answer.ms, subject.name).toBeLessThan(5000);
        const refusedForSize = answer.errors.filter((error) => error.extensions?.limit !== undefined);
        expect(refusedForSize, subject.name).toEqual([]);
      }
    });

    it('refuses every oversized argument with a typed error naming it and its bound, within a second', async () => {
      const subjects = fc
        .constantFrom(...targets)
        .chain((subject) => oversized(subject.bound).map((sample) => readable({ subject, ...sample })));
      // Each argument at least once, just beyond its bound; then random ones.
      const examples = targets.map((subject) => {
        const sample = fc.sample(oversized(subject.bound), { numRuns: 1, seed: 1 })[0]!;
        return [readable({ subject, ...sample })] as [Sample];
      });
      await fc.assert(
        fc.asyncProperty(subjects, async ({ subject, value, limit }) => {
          api.statements.length = 0;
          const answer = await send(subject, value);
          expect(answer.ms, subject.name).toBeLessThan(1000);
          expect(answer.errors[0]?.extensions, subject.name).toMatchObject({
            code: expect.stringMatching(/^(BAD_USER_INPUT|DOCUMENT_REJECTED)$/),
            argument: subject.argumentPath,
            ...(limit !== undefined ? { limit } : {}),
          });
          if (limit !== undefined) expect(answer.errors[0]!.message).toContain(limit.toLocaleString('en-US'));
          if (subject.rootField) expect(api.statements, subject.name).toEqual([]);
        }),
        { examples, numRuns: 150, seed: 17 },
      );
    });
  });
}
