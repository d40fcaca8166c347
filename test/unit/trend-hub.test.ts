// The trend hub on its own (src/feed/trend-hub.ts), over an in-memory trend log that
// answers the hub's queries and counts them: routing by filter, where a follower starts,
// replay from a cursor, one read per catch-up, one load per selection, retries, polling,
// ending, and `settled`, which the integration tests wait on. Nothing here sleeps: each
// test waits for the hub's own state.

import { describe, expect, it } from 'vitest';
import { createLocalTrendSignals, type TrendSignals } from '../../src/feed/trend-feed.ts';
import { type TrendFilter, TrendHub, type TrendHubOptions } from '../../src/feed/trend-hub.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

interface Actor {
  slug: string;
  aliases?: string[];
}

/** A TrendEvent as the hub reads it (the log answers every query with these objects). */
interface LogEvent {
  sequence: number;
  publishedAt: Date;
  article: {
    category: { slug: string } | null;
    mentions: { actor: { slug: string; aliases: { slug: string }[] } }[];
  };
}

type SequenceRange = { gt?: number; lte?: number };

/** Where-clauses as `trendWhere` writes them; anything else is refused, so the fake never answers a query it does not understand. */
function matchesWhere(where: Record<string, unknown>, event: LogEvent): boolean {
  const { sequence, article, ...rest } = where as {
    sequence?: SequenceRange;
    article?: { category?: { slug: string }; mentions?: { some: { actor: { OR: [{ slug: string }, unknown] } } } };
  };
  if (Object.keys(rest).length) throw new Error(`the fake log cannot filter by ${Object.keys(rest).join(', ')}`);
  if (sequence?.gt !== undefined && !(event.sequence > sequence.gt)) return false;
  if (sequence?.lte !== undefined && !(event.sequence <= sequence.lte)) return false;
  const { category, mentions, ...other } = article ?? {};
  if (Object.keys(other).length) throw new Error(`the fake log cannot filter articles by ${Object.keys(other)}`);
  if (category && event.article.category?.slug !== category.slug) return false;
  if (mentions) {
    const slug = mentions.some.actor.OR[0].slug;
    const named = event.article.mentions.some(
      ({ actor }) => actor.slug === slug || actor.aliases.some((alias) => alias.slug === slug),
    );
    if (!named) return false;
  }
  return true;
}

/** An in-memory trend log behind the part of PrismaClient the hub uses. */
function fakeLog() {
  const events: LogEvent[] = [];
  const counts = { routingReads: 0, replays: 0, loads: [] as string[] };
  let gate: Promise<void> | null = null;
  let gateReached: (() => void) | null = null;
  let failNextRead = false;
  const trendEvent = {
    aggregate: async () => ({ _max: { sequence: events.at(-1)?.sequence ?? null } }),
    async findMany(args: { where: Record<string, unknown>; take?: number }) {
      // The hub's catch-up reads a batch (`take`); a follower's replay reads a range.
      if (args.take !== undefined) {
        counts.routingReads++;
        if (gate) {
          gateReached?.();
          await gate;
        }
        if (failNextRead) {
          failNextRead = false;
          throw new Error('connection lost');
        }
      } else counts.replays++;
      return events.filter((event) => matchesWhere(args.where, event)).slice(0, args.take);
    },
    async findUnique(args: { where: { sequence: number } }) {
      counts.loads.push(`${args.where.sequence}:${JSON.stringify({ ...args, where: undefined })}`);
      return events.find((event) => event.sequence === args.where.sequence) ?? null;
    },
  };
  return {
    prisma: { trendEvent } as unknown as PrismaClient,
    counts,
    /** Appends an event, as a committed ingest does; returns its sequence. */
    commit(category: string | null, actors: Actor[] = []): number {
      const sequence = events.length + 1;
      events.push({
        sequence,
        publishedAt: new Date(Date.UTC(2024, 0, 1, 0, sequence)),
        article: {
          category: category === null ? null : { slug: category },
          mentions: actors.map((actor) => ({
            actor: { slug: actor.slug, aliases: (actor.aliases ?? []).map((slug) => ({ slug })) },
          })),
        },
      });
      return sequence;
    },
    /** Holds the hub's catch-up reads until `release` is called; `started` resolves when one waits. */
    holdReads(): { started: Promise<void>; release: () => void } {
      let release!: () => void;
      let started!: () => void;
      const opened = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (started = resolve));
      gate = reached.then(() => opened);
      gateReached = started;
      return {
        started: reached,
        release: () => {
          gate = null;
          release();
        },
      };
    },
    failNextRead() {
      failNextRead = true;
    },
  };
}

const MAKEI: Actor = { slug: 'vladimir-makei', aliases: ['makey', 'makei'] };
const LUKASHENKO: Actor = { slug: 'alexander-lukashenko', aliases: ['lukashenka'] };
const ITEM = { select: { sequence: true } };

function setup(options: TrendHubOptions = {}) {
  const log = fakeLog();
  const signals: TrendSignals = createLocalTrendSignals();
  const hub = new TrendHub(log.prisma, signals, options);
  /** A follower that reads as fast as items come; `sequences` fills as it does. */
  const follow = async (filter: TrendFilter = {}, after: number | null = null, query: object = ITEM) => {
    const iterator = await hub.follow<LogEvent>(filter, after, query);
    const items: LogEvent[] = [];
    const ended = (async () => {
      for await (const item of iterator) items.push(item);
    })();
    return { iterator, items, ended, sequences: () => items.map((item) => item.sequence) };
  };
  /** Commits an event and signals it, as another process would; resolves once the hub has handed it out. */
  const publish = async (category: string | null, actors: Actor[] = []) => {
    const sequence = log.commit(category, actors);
    signals.publish({ sequence });
    await hub.settled(sequence, { signalHeard: true });
    return sequence;
  };
  return { log, signals, hub, follow, publish };
}

describe('TrendHub', () => {
  it('routes each event once, in order, to the followers whose filter matches (actor by slug or alias slug)', async () => {
    const { hub, follow, publish } = setup();
    const everything = await follow();
    const security = await follow({ category: 'security' });
    const makeiBySlug = await follow({ actor: 'vladimir-makei' });
    const makeiByAlias = await follow({ actor: 'makey' });
    const lukashenkaOnEconomy = await follow({ actor: 'lukashenka', category: 'economy' });
    const followers = [everything, security, makeiBySlug, makeiByAlias, lukashenkaOnEconomy];

    await publish('security', [MAKEI]); // 1
    await publish('economy', [LUKASHENKO]); // 2
    await publish('economy', [MAKEI, LUKASHENKO]); // 3
    await publish(null, []); // 4
    await publish('security', [LUKASHENKO]); // 5
    await hub.close();
    await Promise.all(followers.map((follower) => follower.ended));

    expect(everything.sequences()).toEqual([1, 2, 3, 4, 5]);
    expect(security.sequences()).toEqual([1, 5]);
    expect(makeiBySlug.sequences()).toEqual([1, 3]);
    expect(makeiByAlias.sequences()).toEqual([1, 3]);
    expect(lukashenkaOnEconomy.sequences()).toEqual([2, 3]);
  });

  it('starts a follower without a cursor after what was committed when it subscribed', async () => {
    const { log, hub, follow, publish } = setup();
    const early = await follow();
    await publish('security'); // 1: before the second follower
    // 2 is committed and its read is under way (its ingest answered) when the second
    // follower subscribes: published before it, so not its to receive.
    const held = log.holdReads();
    const two = log.commit('security');
    const routing = hub.catchUp(two);
    const late = await follow();
    held.release();
    await routing;
    await publish('security'); // 3
    await hub.close();
    await Promise.all([early.ended, late.ended]);
    expect(early.sequences()).toEqual([1, 2, 3]);
    expect(late.sequences()).toEqual([3]);
  });

  it('replays from a cursor, then continues live, with no gap and no duplicate', async () => {
    const { log, hub, follow, publish } = setup();
    const watcher = await follow(); // starts the hub
    for (let n = 0; n < 5; n++) await publish('security');
    // Registered at 5; 6 is routed to it before it reads its replay (of 3..5).
    const resumed = await hub.follow<LogEvent>({}, 2, ITEM);
    await hub.catchUp(log.commit('security'));
    const items: LogEvent[] = [];
    const ended = (async () => {
      for await (const item of resumed) items.push(item);
    })();
    await publish('security'); // 7
    expect(log.counts.replays).toBe(1);
    await hub.close();
    await Promise.all([ended, watcher.ended]);
    expect(items.map((item) => item.sequence)).toEqual([3, 4, 5, 6, 7]);
  });

  it('skips, for a cursor from an instance that is ahead, what that instance has seen', async () => {
    const { hub, follow, publish } = setup();
    const watcher = await follow();
    for (let n = 0; n < 3; n++) await publish('security');
    const ahead = await follow({}, 5);
    for (let n = 0; n < 3; n++) await publish('security'); // 4, 5, 6
    await hub.close();
    await Promise.all([ahead.ended, watcher.ended]);
    expect(ahead.sequences()).toEqual([6]);
  });

  it('reads the log once per catch-up whatever the number of followers, and collapses requests made meanwhile', async () => {
    const { log, signals, hub, follow, publish } = setup();
    const followers = await Promise.all(Array.from({ length: 50 }, () => follow()));
    await publish('security');
    expect(log.counts.routingReads).toBe(1);

    const held = log.holdReads();
    const first = hub.catchUp();
    await held.started;
    const more = [hub.catchUp(), hub.catchUp(), hub.catchUp()];
    held.release();
    await Promise.all([first, ...more]);
    expect(log.counts.routingReads).toBe(1 + 1 + 1); // the publication's, the one under way, then one for all three

    // An instance's own ingest: the read it starts covers the event, so the signal that
    // comes back while that read is under way causes no second one.
    const before = log.counts.routingReads;
    const heldOwn = log.holdReads();
    const own = log.commit('security');
    void hub.catchUp(own);
    await heldOwn.started;
    signals.publish({ sequence: own });
    // Signals travel in microtasks, which all run before the next macrotask: heard by now.
    await new Promise((resolve) => setImmediate(resolve));
    heldOwn.release();
    await hub.settled(own, { signalHeard: true });
    expect(log.counts.routingReads).toBe(before + 1);

    await hub.close();
    await Promise.all(followers.map((follower) => follower.ended));
    expect(followers.map((follower) => follower.sequences())).toEqual(followers.map(() => [1, own]));
  });

  it('loads an item once per selection, and hands the followers of one selection the same object', async () => {
    const { log, hub, follow, publish } = setup();
    const queryA = { select: { sequence: true } };
    const queryB = { select: { sequence: true, publishedAt: true } };
    const onA = await Promise.all([follow({}, null, queryA), follow({}, null, queryA), follow({}, null, queryA)]);
    const onB = await Promise.all([follow({}, null, queryB), follow({}, null, queryB)]);
    const sequence = await publish('security');
    await hub.close();
    await Promise.all([...onA, ...onB].map((follower) => follower.ended));

    expect(log.counts.loads).toHaveLength(2);
    expect(new Set(log.counts.loads)).toEqual(
      new Set([`${sequence}:${JSON.stringify(queryA)}`, `${sequence}:${JSON.stringify(queryB)}`]),
    );
    const [item] = onA[0]!.items;
    for (const follower of [...onA, ...onB]) expect(follower.items).toHaveLength(1);
    for (const follower of [...onA, ...onB]) expect(follower.items[0]).toBe(item);
  });

  it('retries a failed read at the next signal; followers miss nothing', async () => {
    const logged: string[] = [];
    const { log, signals, hub, follow } = setup({ log: (message) => logged.push(message) });
    const follower = await follow();
    const one = log.commit('security');
    log.failNextRead();
    await hub.catchUp(one);
    expect(logged).toEqual(['trend feed: catching up failed: connection lost']);
    expect(follower.items).toEqual([]);

    const two = log.commit('security');
    signals.publish({ sequence: two });
    await hub.settled(two, { signalHeard: true });
    await hub.close();
    await follower.ended;
    expect(follower.sequences()).toEqual([one, two]);
  });

  it('finds by polling what nobody signalled', async () => {
    const { log, hub, follow } = setup({ pollIntervalMs: 5 });
    const follower = await follow();
    const sequence = log.commit('security'); // committed by a process that does not signal
    await hub.settled(sequence);
    await hub.close();
    await follower.ended;
    expect(follower.sequences()).toEqual([sequence]);
  });

  it('delivers once to each of more followers than it wakes at a time', async () => {
    const { hub, follow, publish } = setup();
    const followers = await Promise.all(Array.from({ length: 600 }, () => follow()));
    const sequence = await publish('security');
    await hub.close();
    await Promise.all(followers.map((follower) => follower.ended));
    expect(followers.every((follower) => follower.sequences().join() === String(sequence))).toBe(true);
  });

  it('lets a follower go when it leaves, and ends the others when it closes, after what they were given', async () => {
    const { hub, follow, publish } = setup();
    const staying = await follow();
    const leaving = await follow();
    expect(hub.subscriberCount).toBe(2);
    await publish('security');
    await leaving.iterator.return?.();
    await leaving.ended;
    expect(hub.subscriberCount).toBe(1);
    await publish('security');
    await hub.close();
    await staying.ended;
    expect(staying.sequences()).toEqual([1, 2]);
    expect(leaving.sequences()).toEqual([1]);
    expect(hub.subscriberCount).toBe(0);

    const afterClose = await follow();
    await afterClose.ended;
    expect(afterClose.items).toEqual([]);
  });

  describe('settled', () => {
    it('waits until every follower has taken what was routed to it', async () => {
      const { log, hub } = setup();
      const follower = await hub.follow<LogEvent>({}, null, ITEM);
      const sequence = log.commit('security');
      const first = follower.next(); // the follower waits for an item
      await hub.catchUp(sequence);
      expect((await first).value?.sequence).toBe(sequence);
      // It holds the item and has not asked for more: the hub may still hand it something.
      let settled = false;
      const settling = hub.settled(sequence).then(() => (settled = true));
      await hub.catchUp();
      expect(settled).toBe(false);
      const second = follower.next(); // it asks for more: nothing is left for it
      await settling;
      expect(settled).toBe(true);
      await hub.close();
      expect(await second).toEqual({ done: true, value: undefined });
    });

    it('waits for an event to be routed, and with signalHeard for its signal to come back', async () => {
      const { log, signals, hub, follow } = setup();
      const follower = await follow();
      const sequence = log.commit('security');
      let routed = false;
      const routing = hub.settled(sequence).then(() => (routed = true));
      await hub.catchUp(); // 1 is committed, not yet routed, when settled is asked
      await routing;
      expect(routed).toBe(true);

      let heard = false;
      const hearing = hub.settled(sequence, { signalHeard: true }).then(() => (heard = true));
      await hub.settled(sequence);
      expect(heard).toBe(false); // routed, but its signal has not come
      signals.publish({ sequence });
      await hearing;
      expect(heard).toBe(true);
      await hub.close();
      await follower.ended;
      expect(follower.sequences()).toEqual([sequence]);
    });

    it('resolves once the hub is closed, whatever it was waiting for', async () => {
      const { hub, follow } = setup();
      const follower = await follow();
      const waiting = hub.settled(99, { signalHeard: true });
      await hub.close();
      await waiting;
      await follower.ended;
      expect(follower.items).toEqual([]);
    });
  });
});
