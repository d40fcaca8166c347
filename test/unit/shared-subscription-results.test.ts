// Shared subscription results (src/server/shared-subscription-results.ts) on a small
// schema of its own: subscribers of one operation share one execution per event, other
// operations execute apart, payloads that are not objects are never shared, and an
// error of the subscribe step reaches each subscriber. Operations go through
// yoga.getEnveloped, as the WebSocket endpoint sends them.

import { type ExecutionResult, GraphQLError } from 'graphql';
import { createSchema, createYoga, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useSharedSubscriptionResults } from '../../src/server/shared-subscription-results.ts';

/** Every subscriber reads the same payload objects, in order, as the trend hub hands them out. */
class Channel {
  private readonly payloads: unknown[] = [];
  private waiting: (() => void)[] = [];

  publish(payload: unknown): void {
    this.payloads.push(payload);
    for (const wake of this.waiting.splice(0)) wake();
  }

  async *subscribe(): AsyncGenerator<unknown> {
    for (let n = 0; ; n++) {
      while (n >= this.payloads.length) await new Promise<void>((resolve) => this.waiting.push(resolve));
      yield this.payloads[n];
    }
  }
}

function setup(plugins: Plugin[]) {
  const ticks = new Channel();
  const counts = new Channel();
  /** Executions of the resolvers that show how often a selection ran. */
  const executed = { label: 0, count: 0 };
  const schema = createSchema({
    typeDefs: /* GraphQL */ `
      type Query { ok: Boolean }
      type Tick { n: Int!, label(prefix: String): String! }
      type Subscription { tick: Tick!, count: Int!, refused: Tick! }
    `,
    resolvers: {
      Subscription: {
        tick: { subscribe: () => ticks.subscribe(), resolve: (payload: unknown) => payload },
        count: {
          subscribe: () => counts.subscribe(),
          resolve: (payload: unknown) => {
            executed.count++;
            return payload;
          },
        },
        refused: {
          subscribe: () => {
            throw new GraphQLError('not for you', { extensions: { code: 'FORBIDDEN' } });
          },
        },
      },
      Tick: {
        label: (tick: { n: number }, args: { prefix?: string | null }) => {
          executed.label++;
          return `${args.prefix ?? ''}${tick.n}`;
        },
      },
    },
  });
  const yoga = createYoga({ schema, plugins });

  /** Subscribes as a WebSocket client's operation would; the result stream, or the error result. */
  async function subscribe(query: string, variables: Record<string, unknown> = {}) {
    const { parse, subscribe, contextFactory, schema: enveloped } = yoga.getEnveloped({});
    return subscribe({
      schema: enveloped,
      document: parse(query),
      variableValues: variables,
      contextValue: await contextFactory(),
    }) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
  }

  /** `count` subscribers of one operation, each with its iterator. */
  async function subscribers(count: number, query: string, variables: Record<string, unknown> = {}) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const stream = await subscribe(query, variables);
        if (!isAsyncIterable(stream)) throw new Error(`not a stream: ${JSON.stringify(stream)}`);
        return stream[Symbol.asyncIterator]();
      }),
    );
  }

  /** The next result of each iterator. */
  const nextOf = (iterators: AsyncIterator<ExecutionResult>[]) =>
    Promise.all(iterators.map(async (iterator) => (await iterator.next()).value as ExecutionResult));

  return { ticks, counts, executed, subscribe, subscribers, nextOf };
}

const TICKS = 'subscription Ticks($prefix: String) { tick { n label(prefix: $prefix) } }';

describe('useSharedSubscriptionResults', () => {
  it('executes a selection once per event for the subscribers of one operation, and gives each the same result', async () => {
    const { ticks, executed, subscribers, nextOf } = setup([useSharedSubscriptionResults()]);
    const iterators = await subscribers(5, TICKS, { prefix: '#' });
    ticks.publish({ n: 1 });
    ticks.publish({ n: 2 });
    const first = await nextOf(iterators);
    const second = await nextOf(iterators);
    expect(first).toEqual(iterators.map(() => ({ data: { tick: { n: 1, label: '#1' } } })));
    expect(second).toEqual(iterators.map(() => ({ data: { tick: { n: 2, label: '#2' } } })));
    expect(executed.label).toBe(2);
  });

  it('executes for each subscriber without it (what the count above is measured against)', async () => {
    const { ticks, executed, subscribers, nextOf } = setup([]);
    const iterators = await subscribers(5, TICKS, { prefix: '#' });
    ticks.publish({ n: 1 });
    expect(await nextOf(iterators)).toEqual(iterators.map(() => ({ data: { tick: { n: 1, label: '#1' } } })));
    expect(executed.label).toBe(5);
  });

  it('keeps operations apart: other variables, another selection, another operation name', async () => {
    const { ticks, executed, subscribers, nextOf } = setup([useSharedSubscriptionResults()]);
    const hash = await subscribers(3, TICKS, { prefix: '#' });
    const at = await subscribers(2, TICKS, { prefix: '@' });
    const labelOnly = await subscribers(2, 'subscription Ticks($prefix: String) { tick { label(prefix: $prefix) } }', {
      prefix: '#',
    });
    const renamed = await subscribers(2, 'subscription Other($prefix: String) { tick { n label(prefix: $prefix) } }', {
      prefix: '#',
    });
    ticks.publish({ n: 7 });
    expect(await nextOf(hash)).toEqual(hash.map(() => ({ data: { tick: { n: 7, label: '#7' } } })));
    expect(await nextOf(at)).toEqual(at.map(() => ({ data: { tick: { n: 7, label: '@7' } } })));
    expect(await nextOf(labelOnly)).toEqual(labelOnly.map(() => ({ data: { tick: { label: '#7' } } })));
    expect(await nextOf(renamed)).toEqual(renamed.map(() => ({ data: { tick: { n: 7, label: '#7' } } })));
    expect(executed.label).toBe(4); // once per operation
  });

  it('never shares the result of a payload that is not an object', async () => {
    const { counts, executed, subscribers, nextOf } = setup([useSharedSubscriptionResults()]);
    const iterators = await subscribers(3, 'subscription { count }');
    counts.publish(42);
    expect(await nextOf(iterators)).toEqual(iterators.map(() => ({ data: { count: 42 } })));
    expect(executed.count).toBe(3);
  });

  it('passes an error of the subscribe step to each subscriber', async () => {
    const { subscribe } = setup([useSharedSubscriptionResults()]);
    for (let n = 0; n < 2; n++) {
      const result = await subscribe('subscription { refused { n } }');
      expect(isAsyncIterable(result)).toBe(false);
      expect((result as ExecutionResult).errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        ['not for you', 'FORBIDDEN'],
      ]);
    }
  });
});
