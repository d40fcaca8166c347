// Delivers trend items to webhooks, at least once and in order per webhook, from the
// trend log (TrendEvent). Each webhook row holds its own cursor: every matching event up
// to `cursorSequence` has been delivered.
//
// With several server instances on one PostgreSQL, each webhook is served by one instance
// at a time: an instance claims a due webhook by taking its lease in one UPDATE (the rows
// picked FOR UPDATE SKIP LOCKED, so two instances never take the same one), delivers its
// items one after another, records each success only while it still holds the lease, and
// lets go. An instance that dies leaves a lease that expires (LEASE_MS), after which
// another takes over from the cursor: the item in flight may then arrive twice, never
// out of order, and nothing is skipped.
//
// A failed delivery (no 2xx within the time limit) is retried with exponential backoff
// and jitter; after 24 h of failures in a row the webhook is deactivated. A pass starts on
// each trend signal (a committed event, from any instance through Redis), on a timer
// (which also brings retries that have come due), and when a delivery run ends.

import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { articlePageUrl } from './addresses.ts';
import type { TrendSignals } from './trend-feed.ts';
import { latestTrendSequence, trendItemsBetween } from './trend-items.ts';
import { webhookPayload } from './webhook-payload.ts';
import { createWebhookSender, type WebhookSender } from './webhook-sender.ts';
import { signWebhook } from './webhook-signature.ts';

export interface WebhookDeliveryOptions {
  /** Base of article URLs in payloads (PUBLIC_BASE_URL, or this server's own address). */
  publicBaseUrl: () => string;
  /** Deliver to private addresses and plain http (WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** How often to look for due webhooks without a signal (ms). */
  pollIntervalMs?: number;
  /** A delivery succeeds with a 2xx within this time (ms). */
  timeoutMs?: number;
  /** First retry delay (ms); doubling per failure up to `retryMaxMs`, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Failing this long without a success deactivates a webhook (ms). */
  failureWindowMs?: number;
  /** Webhooks one instance delivers to at once. */
  concurrency?: number;
  log?: (message: string) => void;
}

const DEFAULTS = {
  pollIntervalMs: 1_000,
  timeoutMs: 5_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60 * 60 * 1_000,
  failureWindowMs: 24 * 60 * 60 * 1_000,
  concurrency: 8,
};

/** How long a claim lasts; every recorded success renews it. Far above one delivery's time limit. */
const LEASE_MS = 30_000;
/** Trend items read per query while a webhook catches up. */
const DELIVERY_BATCH = 50;

interface ClaimedWebhook {
  id: number;
  url: string;
  secret: string;
  categoryId: number | null;
  actorId: number | null;
  cursorSequence: number;
  failures: number;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return step / 2 + Math.random() * (step / 2);
}

const seconds = (ms: number) => ms / 1000;

export class WebhookDispatcher {
  private readonly options: Required<Omit<WebhookDeliveryOptions, 'log'>> & Pick<WebhookDeliveryOptions, 'log'>;
  /** Identifies this instance's leases. */
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly sender: WebhookSender;
  private readonly running = new Set<Promise<void>>();
  private passing: Promise<void> | null = null;
  private passAgain = false;
  private poll: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private closed = false;
  /** Deliveries that succeeded from this instance (for operators and tests). */
  delivered = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly signals: TrendSignals,
    options: WebhookDeliveryOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.sender = createWebhookSender({ allowPrivate: this.options.allowPrivate, timeoutMs: this.options.timeoutMs });
  }

  start(): void {
    if (this.poll || this.closed) return;
    const signals = this.signals.subscribe()[Symbol.asyncIterator]();
    this.stopListening = () => void signals.return?.();
    void (async () => {
      for (;;) {
        const signal = await signals.next();
        if (signal.done || this.closed) return;
        this.kick();
      }
    })();
    this.poll = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.poll.unref();
    this.kick();
  }

  /** Looks for due webhooks now; calls while a pass runs collapse into one more pass. */
  kick(): void {
    if (this.closed) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = (async () => {
      do {
        this.passAgain = false;
        try {
          await this.claimAndDeliver();
        } catch (error) {
          this.options.log?.(`webhooks: looking for due webhooks failed: ${(error as Error).message}`);
        }
      } while (this.passAgain && !this.closed);
      this.passing = null;
    })();
  }

  private async claimAndDeliver(): Promise<void> {
    const room = this.options.concurrency - this.running.size;
    if (room <= 0 || this.closed) return;
    // Due, not leased (or the lease ran out), and behind the log. SKIP LOCKED: another
    // instance claiming at the same moment takes other rows, never the same.
    const claimed = await this.prisma.$queryRaw<ClaimedWebhook[]>`
      UPDATE "Webhook"
      SET "leaseOwner" = ${this.owner}, "leaseExpiresAt" = now() + make_interval(secs => ${seconds(LEASE_MS)}::float8)
      WHERE id IN (
        SELECT id FROM "Webhook"
        WHERE active AND "nextAttemptAt" <= now()
          AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
          AND "cursorSequence" < (SELECT coalesce(max(sequence), 0) FROM "TrendEvent")
        ORDER BY "nextAttemptAt", id
        LIMIT ${room}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, url, secret, "categoryId", "actorId", "cursorSequence", failures`;
    for (const webhook of claimed) {
      const run: Promise<void> = this.deliverTo(webhook)
        .catch((error: Error) => this.options.log?.(`webhooks: webhook ${webhook.id}: ${error.message}`))
        .finally(() => {
          this.running.delete(run);
          // Its cursor may still be behind (new items came in), or room has opened for another.
          this.kick();
        });
      this.running.add(run);
    }
  }

  /** Delivers a claimed webhook's items in order until it is caught up, fails or loses its lease. */
  private async deliverTo(webhook: ClaimedWebhook): Promise<void> {
    const scope = {
      category: webhook.categoryId !== null ? { id: webhook.categoryId } : null,
      actor: webhook.actorId !== null ? { id: webhook.actorId } : null,
    };
    let cursor = webhook.cursorSequence;
    try {
      while (!this.closed) {
        // Read the end of the log first: every event up to it is committed (sequences
        // commit in order), so the cursor may move there once nothing before it matches.
        const upTo = await latestTrendSequence(this.prisma);
        if (cursor >= upTo) return;
        const items = await trendItemsBetween(this.prisma, scope, cursor, upTo, DELIVERY_BATCH);
        for (const item of items) {
          if (this.closed) return;
          const body = webhookPayload(item, (slug) => articlePageUrl(this.options.publicBaseUrl(), slug));
          const messageId = String(item.sequence);
          const timestamp = Math.floor(Date.now() / 1000);
          const outcome = await this.sender.post(
            webhook.url,
            {
              'webhook-id': messageId,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signWebhook(webhook.secret, messageId, timestamp, body),
            },
            body,
          );
          if (!outcome.ok) {
            await this.recordFailure(webhook, outcome.error);
            return;
          }
          if (!(await this.recordSuccess(webhook.id, item.sequence))) return; // lease lost, or webhook deleted
          this.delivered++;
          cursor = item.sequence;
        }
        if (items.length < DELIVERY_BATCH) {
          if (!(await this.advance(webhook.id, upTo))) return;
          cursor = upTo;
        }
      }
    } finally {
      await this.release(webhook.id);
    }
  }

  private async recordSuccess(id: number, sequence: number): Promise<boolean> {
    const updated = await this.prisma.$executeRaw`
      UPDATE "Webhook"
      SET "cursorSequence" = ${sequence}, "lastDeliveredSequence" = ${sequence}, "lastDeliveredAt" = now(),
          failures = 0, "failingSince" = NULL, "lastError" = NULL, "nextAttemptAt" = now(),
          "leaseExpiresAt" = now() + make_interval(secs => ${seconds(LEASE_MS)}::float8)
      WHERE id = ${id} AND "leaseOwner" = ${this.owner}`;
    return updated === 1;
  }

  /** Moves the cursor past events that do not match the webhook's filter. */
  private async advance(id: number, upTo: number): Promise<boolean> {
    const updated = await this.prisma.$executeRaw`
      UPDATE "Webhook" SET "cursorSequence" = greatest("cursorSequence", ${upTo})
      WHERE id = ${id} AND "leaseOwner" = ${this.owner}`;
    return updated === 1;
  }

  private async recordFailure(webhook: ClaimedWebhook, error: string): Promise<void> {
    const failures = webhook.failures + 1;
    const delay = retryDelayMs(failures, this.options.retryBaseMs, this.options.retryMaxMs);
    const window = seconds(this.options.failureWindowMs);
    // Deactivated once it has been failing for the whole window; until then the next
    // attempt waits out the backoff. The lease goes with the attempt.
    const [row] = await this.prisma.$queryRaw<{ active: boolean }[]>`
      UPDATE "Webhook"
      SET failures = failures + 1,
          "failingSince" = coalesce("failingSince", now()),
          "lastError" = ${error.slice(0, 500)},
          active = coalesce("failingSince", now()) > now() - make_interval(secs => ${window}::float8),
          "deactivatedAt" = CASE WHEN coalesce("failingSince", now()) > now() - make_interval(secs => ${window}::float8)
                                 THEN NULL ELSE now() END,
          "nextAttemptAt" = now() + make_interval(secs => ${seconds(delay)}::float8),
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE id = ${webhook.id} AND "leaseOwner" = ${this.owner}
      RETURNING active`;
    this.options.log?.(
      `webhooks: webhook ${webhook.id}: delivery failed (${error}); ` +
        (row?.active === false
          ? `failing for ${Math.round(window / 3600)} h or more: deactivated`
          : `attempt ${failures + 1} in ${Math.round(delay / 100) / 10} s`),
    );
  }

  private async release(id: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "Webhook" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL
      WHERE id = ${id} AND "leaseOwner" = ${this.owner}`;
  }

  /**
   * Resolves once a pass that began after this call has ended and no delivery is under
   * way: everything due when it began (and since) has been delivered, or has failed and
   * waits for its retry. What a later pass would send, this one would have sent. Tests
   * wait on this rather than sleep.
   */
  async settled(): Promise<void> {
    this.kick();
    while (this.passing || this.running.size > 0) await Promise.allSettled([this.passing, ...this.running]);
  }

  /** Stops looking for work, lets deliveries under way finish (each within its time limit) and lets go of their leases. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.stopListening?.();
    await this.passing;
    await Promise.allSettled([...this.running]);
    this.sender.close();
  }
}
