// One hub per server instance fans trend events out to its subscribers.
//
// On a signal (or a periodic poll, which covers signals lost while Redis was away and
// events committed by processes that do not signal), the hub reads the events it has not
// seen yet, in sequence order, with what filters need (category slug, actor and alias
// slugs): one read per catch-up, whatever the number of subscribers. It routes each
// event to the subscribers whose filter matches, in memory. A subscriber then loads the
// item with its GraphQL selection through `load`, which is memoised per (event,
// selection), so subscribers sharing a subscription document share one query.
//
// Resuming: a follower registers with the hub before it reads the replay from the
// database, and the hub only routes events newer than what it had seen at that moment,
// so the replay and the live part meet exactly: no gap, no duplicate.

import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { TrendSignals } from './trend-feed.ts';
import { latestTrendSequence } from './trend-items.ts';

export interface TrendFilter {
  /** Category slug. */
  category?: string | null;
  /** Actor slug or the slug of one of its aliases. */
  actor?: string | null;
}

interface Route {
  sequence: number;
  categorySlug: string | null;
  actorSlugs: Set<string>;
}

/** Events read per catch-up query; a longer backlog takes several. */
const CATCH_UP_BATCH = 500;
/** Loaded items kept for subscribers that are still behind. */
const LOADED_ITEMS_KEPT = 2000;

export function trendWhere(filter: TrendFilter): Prisma.TrendEventWhereInput {
  return {
    article: {
      ...(filter.category != null ? { category: { slug: filter.category } } : {}),
      ...(filter.actor != null
        ? {
            mentions: {
              some: { actor: { OR: [{ slug: filter.actor }, { aliases: { some: { slug: filter.actor } } }] } },
            },
          }
        : {}),
    },
  };
}

function matches(filter: TrendFilter, route: Route): boolean {
  if (filter.category != null && route.categorySlug !== filter.category) return false;
  if (filter.actor != null && !route.actorSlugs.has(filter.actor)) return false;
  return true;
}

interface SettledWaiter {
  sequence: number;
  signalHeard: boolean;
  resolve: () => void;
}

/** Followers woken per macrotask when an event is routed (see `wakeInSlices`). */
const WAKE_SLICE = 250;

/** An unbounded queue of routed sequences, consumed by one follower. */
class Mailbox {
  private readonly queued: number[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  constructor(
    readonly filter: TrendFilter,
    /** The follower's Prisma query for an item, and its cache key. */
    readonly query: object,
    readonly queryKey: string,
    /** Called each time the follower has taken everything queued and starts waiting. */
    private readonly onWaiting: () => void,
  ) {}

  /** Whether the follower has taken everything queued and waits for more. */
  get waiting(): boolean {
    return this.wake !== null && this.queued.length === 0;
  }

  /** Queues without waking the follower: `wakeUp` does that. */
  enqueue(sequence: number): void {
    this.queued.push(sequence);
  }

  wakeUp(): void {
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** The next sequence, or null once closed and drained. */
  async next(): Promise<number | null> {
    while (this.queued.length === 0) {
      if (this.closed) return null;
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      this.onWaiting();
      await woken;
      this.wake = null;
    }
    return this.queued.shift()!;
  }
}

/**
 * Wakes followers a slice per macrotask. Woken all at once, thousands of followers
 * advance step by step together through the microtask queue: nobody's message is written
 * before everybody's has been prepared, and all their half-done work is alive at once,
 * which makes garbage collection expensive. A slice at a time, each follower's message is
 * written soon after it wakes.
 */
async function wakeInSlices(mailboxes: Mailbox[]): Promise<void> {
  for (let start = 0; start < mailboxes.length; start += WAKE_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const mailbox of mailboxes.slice(start, start + WAKE_SLICE)) mailbox.wakeUp();
  }
}

export interface TrendHubOptions {
  /** How often to look for events nobody signalled; 0 turns polling off. */
  pollIntervalMs?: number;
  log?: (message: string) => void;
  /** For metrics: events read from the feed (each once), and items handed to a subscriber. */
  observe?: {
    routed(count: number): void;
    /** `publishedAt` of a live item; null for a replayed one (its lag says nothing of delivery). */
    delivered(publishedAt: Date | null): void;
  };
}

export class TrendHub {
  private readonly mailboxes = new Set<Mailbox>();
  private readonly loaded = new Map<string, Promise<unknown>>();
  /** When routed events were published, for the delivery lag (as long as their items are kept). */
  private readonly publishedAt = new Map<number, Date>();
  /** Highest sequence routed; null until started. */
  private last: number | null = null;
  private starting: Promise<void> | null = null;
  private catchingUp: Promise<void> = Promise.resolve();
  private pendingCatchUp = false;
  /**
   * Highest sequence a read already scheduled or under way is sure to see: it was
   * committed before that read was asked for, and so was every lower one (sequences are
   * assigned under a lock, so they commit in order). Their signals need no second read.
   */
  private coveredUpTo = 0;
  /** Reads scheduled or under way (at most one of each). */
  private readsOutstanding = 0;
  /** Highest sequence whose signal the hub has heard and acted on. */
  private signalHeardThrough = 0;
  private readonly settledWaiters = new Set<SettledWaiter>();
  private poll: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly signals: TrendSignals,
    private readonly options: TrendHubOptions = {},
  ) {}

  /** Starts listening (once); resolves when the hub knows where the feed stands. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const signals = this.signals.subscribe()[Symbol.asyncIterator]();
      this.stopListening = () => void signals.return?.();
      this.last ??= await latestTrendSequence(this.prisma);
      void (async () => {
        for (;;) {
          const signal = await signals.next();
          if (signal.done || this.closed) return;
          if (signal.value.sequence > Math.max(this.last!, this.coveredUpTo)) this.catchUp();
          this.signalHeardThrough = Math.max(this.signalHeardThrough, signal.value.sequence);
          this.noticeSettling();
        }
      })();
      const interval = this.options.pollIntervalMs ?? 0;
      if (interval > 0) {
        this.poll = setInterval(() => this.mailboxes.size > 0 && this.catchUp(), interval);
        this.poll.unref();
      }
    })();
    return this.starting;
  }

  /**
   * Reads and routes unseen events; concurrent calls collapse into one follow-up read.
   * `committed`: a sequence the caller knows is committed (an instance's own ingest), so
   * that its signal, arriving while this read is under way, does not cause another.
   */
  catchUp(committed?: number): Promise<void> {
    if (this.last === null || this.closed) return Promise.resolve(); // not started: no subscriber yet
    // Whether pending or chained below, the read starts after this call.
    if (committed !== undefined) this.coveredUpTo = Math.max(this.coveredUpTo, committed);
    if (this.pendingCatchUp) return this.catchingUp;
    this.pendingCatchUp = true;
    this.readsOutstanding++;
    this.catchingUp = this.catchingUp.then(async () => {
      this.pendingCatchUp = false;
      try {
        await this.routeUnseen();
      } catch (error) {
        // The next signal or poll retries; subscribers lose nothing, they only wait.
        this.coveredUpTo = Math.min(this.coveredUpTo, this.last!);
        this.options.log?.(`trend feed: catching up failed: ${(error as Error).message}`);
      } finally {
        this.readsOutstanding--;
        this.noticeSettling();
      }
    });
    return this.catchingUp;
  }

  private async routeUnseen(): Promise<void> {
    for (;;) {
      const events = await this.prisma.trendEvent.findMany({
        where: { sequence: { gt: this.last! } },
        orderBy: { sequence: 'asc' },
        take: CATCH_UP_BATCH,
        select: {
          sequence: true,
          publishedAt: true,
          article: {
            select: {
              category: { select: { slug: true } },
              mentions: { select: { actor: { select: { slug: true, aliases: { select: { slug: true } } } } } },
            },
          },
        },
      });
      // Routing and advancing `last` happen in one synchronous step, so a follower
      // registering in between sees a consistent boundary.
      const recipients = new Set<Mailbox>();
      /** Per selection (query key), its first routed item. */
      const toLoad = new Map<string, { sequence: number; mailbox: Mailbox }>();
      for (const event of events) {
        const route: Route = {
          sequence: event.sequence,
          categorySlug: event.article.category?.slug ?? null,
          actorSlugs: new Set(
            event.article.mentions.flatMap(({ actor }) => [actor.slug, ...actor.aliases.map((alias) => alias.slug)]),
          ),
        };
        for (const mailbox of this.mailboxes) {
          if (!matches(mailbox.filter, route)) continue;
          mailbox.enqueue(route.sequence);
          recipients.add(mailbox);
          if (!toLoad.has(mailbox.queryKey)) toLoad.set(mailbox.queryKey, { sequence: route.sequence, mailbox });
        }
        this.last = event.sequence;
        this.publishedAt.set(event.sequence, event.publishedAt);
        if (this.publishedAt.size > LOADED_ITEMS_KEPT) this.publishedAt.delete(this.publishedAt.keys().next().value!);
      }
      if (events.length) this.options.observe?.routed(events.length);
      // The first routed item once per selection before anyone wakes, so that a woken
      // follower runs to its first socket write without waiting. Only the first: a backlog
      // of hundreds of events is loaded as followers reach it, not in one burst. A failed
      // load is retried by its followers.
      await Promise.all(
        [...toLoad.values()].map(({ sequence, mailbox }) =>
          this.load(sequence, mailbox.query, mailbox.queryKey).catch(() => {}),
        ),
      );
      await wakeInSlices([...recipients]);
      if (events.length < CATCH_UP_BATCH || this.closed) return;
    }
  }

  /**
   * The events after `after` (replayed from the database) and then every new one, each
   * loaded with `query` (a Prisma include/select for TrendEvent). The subscriber is
   * registered when this resolves, before anything is read: what is published from then
   * on reaches it.
   */
  async follow<Item>(filter: TrendFilter, after: number | null, query: object): Promise<AsyncIterableIterator<Item>> {
    await this.start();
    const mailbox = new Mailbox(filter, query, JSON.stringify(query), () => this.noticeSettling());
    if (this.closed) mailbox.close();
    else this.mailboxes.add(mailbox);
    // Without a cursor, a follower starts with what is committed now: an item whose
    // routing is still under way (an ingest that answered before this subscription
    // covered it) was published before it subscribed. Read now, not when the stream
    // first runs: what is published from here on is live.
    const liveAfter = after === null ? Math.max(this.last!, this.coveredUpTo) : this.last!;
    const items = this.stream<Item>(mailbox, liveAfter, after);
    const leave = () => {
      this.mailboxes.delete(mailbox);
      mailbox.close();
      this.noticeSettling();
    };
    // A subscriber that goes away before reading anything never enters the generator,
    // so its `finally` would not run: leaving is done here too.
    const iterator: AsyncIterableIterator<Item> = {
      next: () => items.next(),
      return: async (value?: unknown) => {
        leave();
        return items.return(value as never);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async *stream<Item>(mailbox: Mailbox, liveAfter: number, after: number | null): AsyncGenerator<Item> {
    const { query, queryKey } = mailbox;
    try {
      let delivered = liveAfter;
      if (after !== null) {
        const replay = await this.prisma.trendEvent.findMany({
          ...query,
          where: { ...trendWhere(mailbox.filter), sequence: { gt: after, lte: liveAfter } },
          orderBy: { sequence: 'asc' },
        });
        for (const item of replay) {
          this.options.observe?.delivered(null);
          yield item as Item;
        }
        // A cursor from an instance that is ahead of this one: skip what it has seen.
        delivered = Math.max(after, liveAfter);
      }
      for (;;) {
        const sequence = await mailbox.next();
        if (sequence === null) return;
        if (sequence <= delivered) continue;
        delivered = sequence;
        const item = await this.load(sequence, query, queryKey);
        if (item) {
          this.options.observe?.delivered(this.publishedAt.get(sequence) ?? null);
          yield item as Item;
        }
      }
    } finally {
      this.mailboxes.delete(mailbox);
      this.noticeSettling();
    }
  }

  /** One query per (event, selection), however many subscribers ask. */
  private load(sequence: number, query: object, queryKey: string): Promise<unknown> {
    const key = `${sequence}:${queryKey}`;
    let item = this.loaded.get(key);
    if (!item) {
      item = this.prisma.trendEvent.findUnique({ ...query, where: { sequence } });
      this.loaded.set(key, item);
      // A failed load is not remembered: the next subscriber asking retries it.
      item.catch(() => this.loaded.delete(key));
      if (this.loaded.size > LOADED_ITEMS_KEPT) this.loaded.delete(this.loaded.keys().next().value!);
    }
    return item;
  }

  get subscriberCount(): number {
    return this.mailboxes.size;
  }

  /**
   * Resolves once the hub has nothing more to hand out for the events through `sequence`:
   * it has routed them, no read is scheduled or under way, and every follower has taken
   * all that was routed to it (so its transport has been given each item, in order). With
   * `signalHeard`, it also waits for the signal of `sequence` to have reached the hub and
   * been acted on: an instance hears the signals of its own ingests too, and a read one
   * causes is waited for. Tests wait on this rather than sleep; a closed hub routes
   * nothing more, so it resolves once its followers have taken what they were given.
   */
  settled(sequence: number, options: { signalHeard?: boolean } = {}): Promise<void> {
    return new Promise((resolve) => {
      this.settledWaiters.add({ sequence, signalHeard: options.signalHeard ?? false, resolve });
      this.noticeSettling();
    });
  }

  private noticeSettling(): void {
    if (this.settledWaiters.size === 0 || this.readsOutstanding > 0) return;
    for (const mailbox of this.mailboxes) if (!mailbox.waiting) return;
    for (const waiter of this.settledWaiters) {
      const routed = this.closed || (this.last !== null && this.last >= waiter.sequence);
      const heard = this.closed || !waiter.signalHeard || this.signalHeardThrough >= waiter.sequence;
      if (routed && heard) {
        this.settledWaiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Ends every follower (their streams complete) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.stopListening?.();
    for (const mailbox of this.mailboxes) mailbox.close();
    await this.catchingUp;
    this.noticeSettling();
  }
}
