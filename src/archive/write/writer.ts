// The archive's one writer. Every write of archive data goes through here: the
// ingestDocument mutation (one page), the CLI and start-up seeding (many), the benchmark,
// and re-keying people at start-up. It parses and resolves actors in TypeScript, stores
// pages with archive_ingest_batch (archive-write.sql), refreshes computed related links,
// retries what a retry resolves, and signals each commit once it has happened: response
// caches forget what changed, the live feed hears of new trend items (the TrendEvent rows
// are the outbox: a signal only says "look", subscribers read the rows).

import { assertBeforeDeadline, cancelStatementsAtDeadline, DeadlineExceededError } from '../../db/deadline.ts';
import { prismaSqlRunner, type SqlRunner } from '../../db/sql.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DocumentSource } from '../../ingest/ingest-files.ts';
import { DocumentRejectedError, PARSER_VERSION, type RejectionReason } from '../../ingest/parse-document.ts';
import { type PersonKeyPlan, planPersonKeys, type StoredPerson } from '../../ingest/person-keys.ts';
import { type ArchiveChange, mergeArchiveChanges } from './archive-change.ts';
import { BatchBoundary, batchJson } from './batch.ts';
import { refreshComputedLinks, refreshComputedLinksOf } from './computed-links.ts';
import { KnownPeople, readKnownPeople } from './known-people.ts';
import { type PagePayload, type ParsedPage, pagePayload, parsePage } from './page-payload.ts';

type IngestOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface IngestResult {
  outcome: IngestOutcome;
  articleId: number;
  /** Sequence of the trend event this ingest published, if any (for the live feed). */
  trendSequence: number | null;
  warnings: string[];
  /** What the write changed (for response caches); null when nothing was written. */
  change: ArchiveChange | null;
}

export interface IngestOptions {
  /**
   * Epoch ms after which the document must not be stored: the ingest is cancelled and
   * rolled back, and rejects with DeadlineExceededError (the mutation's execution timeout).
   */
  deadline?: number;
}

export type FileReport =
  | { file: string; outcome: IngestOutcome; articleId: number; warnings: string[] }
  | { file: string; outcome: 'REJECTED'; reason: RejectionReason; message: string }
  | { file: string; outcome: 'FAILED'; message: string };

export interface IngestManyOptions {
  /** Each document's report, as soon as it is known (rejections first, stored pages as their batch commits). */
  onReport?: (report: FileReport, done: number) => void;
}

/** What the writer announces after each commit. */
export interface WriteSignals {
  /** A commit changed the archive: response caches forget what it touched. Awaited before the write is reported. */
  changed?(change: ArchiveChange): void | Promise<void>;
  /** A commit published trend items, the last of them with this sequence. */
  published?(sequence: number): void;
}

/**
 * Pages per batch. Larger batches amortise the statements' fixed costs less and less
 * (measured: 1.6 ms of PostgreSQL time per page at 100 and at 200 pages) while a page of
 * the mutation may wait behind a whole batch (docs/architecture.md).
 */
const BATCH_PAGES = 200;
/** Stored articles after which their computed links are refreshed, so links appear as a long run goes. */
const LINK_REFRESH_EVERY = 1_000;
const TRANSACTION_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 3;

/** What archive_ingest_batch returns. */
interface BatchResult {
  revision: number | null;
  pages: { page: number; outcome: IngestOutcome; articleId: number; trendSequence: number | null }[];
  articleIds?: number[];
  actorIds?: number[];
  categoryIds?: number[];
  linkIds?: number[];
}

const STORE_BATCH = 'SELECT archive_ingest_batch($1::jsonb) AS result';

/**
 * Stores a batch in one statement. Sent as direct SQL rather than through Prisma, whose
 * handling of a large parameter cost more than the statement (measured on a batch of 200
 * pages, 3 MB of JSON: 4.1 ms a page through Prisma, 2.4 ms direct).
 */
async function storeBatch(sql: SqlRunner, payloads: readonly PagePayload[]): Promise<BatchResult> {
  const [row] = await sql.query<{ result: BatchResult }>(STORE_BATCH, [batchJson(payloads)]);
  return row!.result;
}

function changeOf(result: BatchResult): ArchiveChange | null {
  if (result.revision === null) return null;
  return {
    revisions: [result.revision],
    articleIds: result.articleIds ?? [],
    actorIds: result.actorIds ?? [],
    categoryIds: result.categoryIds ?? [],
    linkIds: result.linkIds ?? [],
  };
}

/** Whether the database reports a deadlock or serialization failure, which a retry resolves. */
function isRetryable(error: unknown): boolean {
  const { code, meta } = error as {
    code?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  };
  if (code === 'P2034') return true;
  const sqlState = meta?.driverAdapterError?.cause?.originalCode;
  return sqlState === '40P01' || sqlState === '40001';
}

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A parsed page of a run, where its report goes, and its payload once its actors are found. */
interface RunPage {
  index: number;
  page: ParsedPage;
  payload?: PagePayload;
  warnings?: string[];
}

/** Where the writer writes: Prisma for transactions, direct SQL for batches (see storeBatch). */
export interface WriterDatabase {
  prisma: PrismaClient;
  sql?: SqlRunner;
}

export class ArchiveWriter {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlRunner;

  constructor(
    database: WriterDatabase,
    private readonly signals: WriteSignals = {},
  ) {
    this.prisma = database.prisma;
    this.sql = database.sql ?? prismaSqlRunner(database.prisma);
  }

  /**
   * Ingests one document, its computed links refreshed in the same transaction. Rejects
   * with DocumentRejectedError (nothing written) when the page cannot be parsed, and with
   * DeadlineExceededError when the deadline passes first (nothing written). The same bytes
   * again return UNCHANGED without writing.
   */
  async ingestDocument(
    input: string | Uint8Array,
    sourceName: string,
    options: IngestOptions = {},
  ): Promise<IngestResult> {
    const page = parsePage(input, sourceName);
    const warnings = page.parsed.warnings;
    const [seen] = await this.prisma.$queryRaw<{ articleId: number }[]>`
      SELECT "articleId" FROM "SourceDocument" WHERE sha256 = ${page.sha256} AND "parserVersion" = ${PARSER_VERSION}`;
    if (seen) return { outcome: 'UNCHANGED', articleId: seen.articleId, trendSequence: null, warnings, change: null };

    const people = new KnownPeople();
    people.remember(await readKnownPeople(this.prisma, page.candidateKeys));
    const prepared = pagePayload(page, people.lookUp(page.candidateKeys));
    const { deadline } = options;
    const committed = await withRetries(async () => {
      const timeout = Math.min(
        TRANSACTION_TIMEOUT_MS,
        deadline === undefined ? Infinity : assertBeforeDeadline(deadline),
      );
      try {
        return await this.prisma.$transaction(
          async (tx) => {
            if (deadline !== undefined) await cancelStatementsAtDeadline(tx, deadline);
            const result = await storeBatch(prismaSqlRunner(tx), [prepared.payload]);
            const stored = result.pages[0]!;
            const change = changeOf(result);
            if (!change) return { stored, change };
            const refreshed = await refreshComputedLinks(tx, [stored.articleId]);
            if (deadline !== undefined) assertBeforeDeadline(deadline); // else it commits
            const links = { revisions: [], actorIds: [], categoryIds: [], ...refreshed };
            return { stored, change: mergeArchiveChanges(change, links) };
          },
          { timeout, maxWait: timeout },
        );
      } catch (error) {
        // Whatever failed once the deadline had passed (a cancelled statement, Prisma's own
        // transaction timeout) was rolled back: it is the deadline's doing.
        if (deadline !== undefined && Date.now() >= deadline && !(error instanceof DeadlineExceededError)) {
          throw new DeadlineExceededError('The deadline passed; the ingest was cancelled and nothing was stored.', {
            cause: error,
          });
        }
        throw error;
      }
    });
    const { stored, change } = committed;
    await this.announce(change, stored.trendSequence);
    return {
      outcome: stored.outcome,
      articleId: stored.articleId,
      trendSequence: stored.trendSequence,
      warnings: prepared.warnings,
      change,
    };
  }

  /**
   * Ingests many documents; reports come back in input order. A document never throws: a
   * bad one is reported and the others are stored. Pages are stored in batches, each one
   * transaction; a batch that fails is stored again one page at a time, so only the page
   * at fault is lost. Preparing the next batch (parsing, finding actors) overlaps the
   * database's work on the one before. A failing link refresh stops the run and is thrown.
   */
  async ingestMany(
    sources: readonly DocumentSource[],
    { onReport = () => {} }: IngestManyOptions = {},
  ): Promise<FileReport[]> {
    const reports = new Array<FileReport>(sources.length);
    let done = 0;
    const report = (index: number, fileReport: FileReport) => {
      reports[index] = fileReport;
      onReport(fileReport, ++done);
    };
    const run = { people: new KnownPeople(), linksDue: [] as number[] };
    let writing: Promise<boolean> = Promise.resolve(true);
    for (let start = 0; start < sources.length; start += BATCH_PAGES) {
      const pages = await this.unseen(await this.parseChunk(sources, start, report), report);
      await this.prepare(pages, run.people);
      if (!(await writing)) {
        // A page of the batch before was lost; pages prepared since may have learned people from it.
        run.people = new KnownPeople();
        await this.prepare(pages, run.people);
      }
      writing = this.write(pages, report, run.linksDue);
      // Awaited with the next chunk; until then, a failure must not count as unhandled.
      writing.catch(() => {});
    }
    await writing;
    await this.refreshLinks(run.linksDue.splice(0));
    return reports;
  }

  /** Re-keys the archive's people if the rules for person keys changed since they were stored. */
  async rekeyPeople(): Promise<PersonKeyPlan> {
    const people = await this.prisma.$queryRaw<StoredPerson[]>`
      SELECT id, key, name FROM "Actor" WHERE kind = 'PERSON' ORDER BY id`;
    const plan = planPersonKeys(people);
    if (plan.renames.length > 0 || plan.merges.length > 0) {
      await this.prisma.$queryRaw`SELECT archive_rekey_people(${JSON.stringify(plan)}::jsonb)`;
    }
    return plan;
  }

  private async parseChunk(
    sources: readonly DocumentSource[],
    start: number,
    report: (index: number, fileReport: FileReport) => void,
  ): Promise<RunPage[]> {
    const pages: RunPage[] = [];
    for (let index = start; index < Math.min(start + BATCH_PAGES, sources.length); index++) {
      const file = sources[index]!.name;
      try {
        pages.push({ index, page: parsePage(await sources[index]!.read(), file) });
      } catch (error) {
        if (error instanceof DocumentRejectedError) {
          report(index, { file, outcome: 'REJECTED', reason: error.reason, message: error.detail });
        } else report(index, { file, outcome: 'FAILED', message: messageOf(error) });
      }
    }
    return pages;
  }

  /** The pages whose bytes are not stored yet; the others are reported UNCHANGED (nothing to write). */
  private async unseen(pages: RunPage[], report: (index: number, fileReport: FileReport) => void): Promise<RunPage[]> {
    if (pages.length === 0) return pages;
    const stored = await this.prisma.$queryRaw<{ sha256: string; articleId: number }[]>`
      SELECT sha256, "articleId" FROM "SourceDocument"
      WHERE sha256 = ANY(${pages.map(({ page }) => page.sha256)}) AND "parserVersion" = ${PARSER_VERSION}`;
    const articleOf = new Map(stored.map((row) => [row.sha256, row.articleId]));
    return pages.filter(({ index, page }) => {
      const articleId = articleOf.get(page.sha256);
      if (articleId === undefined) return true;
      report(index, { file: page.sourceName, outcome: 'UNCHANGED', articleId, warnings: page.parsed.warnings });
      return false;
    });
  }

  /** Finds each page's actors, in order, each page seeing the people the pages before it taught. */
  private async prepare(pages: RunPage[], people: KnownPeople): Promise<void> {
    const keys = [...new Set(pages.flatMap(({ page }) => page.candidateKeys))];
    people.remember(await readKnownPeople(this.prisma, keys));
    for (const entry of pages) {
      const { payload, warnings } = pagePayload(entry.page, people.lookUp(entry.page.candidateKeys));
      people.learn(payload);
      entry.payload = payload;
      entry.warnings = warnings;
    }
  }

  /** Stores prepared pages in batches; resolves whether every page was stored. */
  private async write(
    pages: readonly RunPage[],
    report: (index: number, fileReport: FileReport) => void,
    linksDue: number[],
  ): Promise<boolean> {
    let allStored = true;
    for (const batch of batchesOf(pages)) {
      let result: BatchResult | undefined;
      try {
        result = await withRetries(() =>
          storeBatch(
            this.sql,
            batch.map((entry) => entry.payload!),
          ),
        );
      } catch {
        // One page at a time: only the page at fault fails.
        for (const entry of batch) {
          let alone: BatchResult;
          try {
            alone = await withRetries(() => storeBatch(this.sql, [entry.payload!]));
          } catch (error) {
            allStored = false;
            report(entry.index, { file: entry.page.sourceName, outcome: 'FAILED', message: messageOf(error) });
            continue;
          }
          await this.committed([entry], alone, report, linksDue);
        }
      }
      if (result) await this.committed(batch, result, report, linksDue);
      if (linksDue.length >= LINK_REFRESH_EVERY) await this.refreshLinks(linksDue.splice(0));
    }
    return allStored;
  }

  private async committed(
    batch: readonly RunPage[],
    result: BatchResult,
    report: (index: number, fileReport: FileReport) => void,
    linksDue: number[],
  ): Promise<void> {
    let lastSequence: number | null = null;
    for (const stored of result.pages) {
      const entry = batch[stored.page - 1]!;
      // A document already stored unchanged had its links computed back then.
      if (stored.outcome !== 'UNCHANGED') linksDue.push(stored.articleId);
      if (stored.trendSequence !== null) lastSequence = stored.trendSequence;
      report(entry.index, {
        file: entry.page.sourceName,
        outcome: stored.outcome,
        articleId: stored.articleId,
        warnings: entry.warnings!,
      });
    }
    await this.announce(changeOf(result), lastSequence);
  }

  private async refreshLinks(articleIds: readonly number[]): Promise<void> {
    for (const change of await refreshComputedLinksOf(this.prisma, articleIds)) await this.announce(change, null);
  }

  private async announce(change: ArchiveChange | null, lastSequence: number | null): Promise<void> {
    if (change) await this.signals.changed?.(change);
    if (lastSequence !== null) this.signals.published?.(lastSequence);
  }
}

/** The pages in batches of at most BATCH_PAGES, cut where two pages may not share one. */
function* batchesOf(pages: readonly RunPage[]): Generator<RunPage[]> {
  let batch: RunPage[] = [];
  let boundary = new BatchBoundary();
  for (const entry of pages) {
    if (batch.length >= BATCH_PAGES || !boundary.admit(entry.payload!)) {
      yield batch;
      batch = [];
      boundary = new BatchBoundary();
      boundary.admit(entry.payload!);
    }
    batch.push(entry);
  }
  if (batch.length) yield batch;
}

/** ingestDocument through a writer that signals nothing (tests, the benchmark). */
export function ingestDocument(
  prisma: PrismaClient,
  input: string | Uint8Array,
  sourceName: string,
  options?: IngestOptions,
): Promise<IngestResult> {
  return new ArchiveWriter({ prisma }).ingestDocument(input, sourceName, options);
}

/** ingestMany through a writer that signals nothing (tests). */
export function ingestMany(
  prisma: PrismaClient,
  sources: readonly DocumentSource[],
  options?: IngestManyOptions,
): Promise<FileReport[]> {
  return new ArchiveWriter({ prisma }).ingestMany(sources, options);
}
