// Ingests files and directories, one transaction per document: a bad file is reported
// and skipped, the others still land. A few documents are in flight at once (parsing
// overlaps the database's work), and computed related links are refreshed per batch
// rather than per document (see computed-links.ts).

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ArchiveChange } from './archive-change.ts';
import { refreshComputedLinksOf } from './computed-links.ts';
import { type IngestOutcome, ingestDocument } from './ingest-document.ts';
import { DocumentRejectedError, MAX_DOCUMENT_BYTES, type RejectionReason } from './parse-document.ts';

export type FileReport =
  | { file: string; outcome: IngestOutcome; articleId: number; warnings: string[] }
  | { file: string; outcome: 'REJECTED'; reason: RejectionReason; message: string }
  | { file: string; outcome: 'FAILED'; message: string };

export class MissingPathError extends Error {
  override name = 'MissingPathError';
}

/** The files named, with directories expanded (recursively, sorted, hidden files skipped). */
export async function listDocumentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new MissingPathError(`no such file or directory: ${path}`);
    if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
          .map((entry) => join(entry.parentPath, entry.name))
          .filter(
            (file) =>
              !relative(path, file)
                .split('/')
                .some((part) => part.startsWith('.')),
          )
          .sort(),
      );
    } else {
      files.push(path);
    }
  }
  return files;
}

/** A document to ingest: its name (reported, stored as the source name) and how to read it. */
export interface DocumentSource {
  name: string;
  /** The bytes; throws DocumentRejectedError to refuse the document without reading it (too large). */
  read(): Promise<string | Uint8Array>;
}

export interface IngestManyOptions {
  /** Documents in flight at once. Trend sequences follow completion order, not input order. */
  concurrency?: number;
  onReport?: (report: FileReport, done: number) => void;
  /** Each committed write (a document, a batch's link refresh), for caches to forget what it changed. */
  onChange?: (change: ArchiveChange) => void;
}

const DEFAULT_CONCURRENCY = 4;
/** Stored articles after which their computed links are refreshed, so links appear as a long run goes. */
const LINK_REFRESH_EVERY = 1_000;

async function ingestOne(
  prisma: PrismaClient,
  source: DocumentSource,
  onChange: (change: ArchiveChange) => void,
): Promise<FileReport> {
  const file = source.name;
  try {
    const result = await ingestDocument(prisma, await source.read(), file, { computedLinks: 'deferred' });
    if (result.change) onChange(result.change);
    return { file, outcome: result.outcome, articleId: result.articleId, warnings: result.warnings };
  } catch (error) {
    if (error instanceof DocumentRejectedError) {
      return { file, outcome: 'REJECTED', reason: error.reason, message: error.detail };
    }
    return { file, outcome: 'FAILED', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Ingests many documents; reports come back in input order. Documents never throw (a bad
 * one is reported); a failing link refresh stops the run and is thrown once the
 * documents in flight have landed.
 */
export async function ingestMany(
  prisma: PrismaClient,
  sources: readonly DocumentSource[],
  { concurrency = DEFAULT_CONCURRENCY, onReport = () => {}, onChange = () => {} }: IngestManyOptions = {},
): Promise<FileReport[]> {
  const reports = new Array<FileReport>(sources.length);
  let next = 0;
  let done = 0;
  let stored: number[] = [];
  // Refreshes run one after another; a worker that fills a batch waits for its refresh.
  let refreshing: Promise<void> = Promise.resolve();
  const refreshStored = () => {
    const batch = stored;
    stored = [];
    refreshing = refreshing.then(async () => {
      for (const change of await refreshComputedLinksOf(prisma, batch)) onChange(change);
    });
    return refreshing;
  };
  const worker = async () => {
    while (next < sources.length) {
      const n = next++;
      const report = await ingestOne(prisma, sources[n]!, onChange);
      reports[n] = report;
      // A document already stored unchanged has had its links computed back then.
      if (report.outcome === 'CREATED' || report.outcome === 'UPDATED') stored.push(report.articleId);
      onReport(report, ++done);
      if (stored.length >= LINK_REFRESH_EVERY) {
        await refreshStored().catch((error: unknown) => {
          next = sources.length; // no new documents once a refresh failed
          throw error;
        });
      }
    }
  };
  const workers = await Promise.allSettled(Array.from({ length: Math.max(1, concurrency) }, worker));
  const failed = workers.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  await refreshStored();
  return reports;
}

function fileSource(file: string): DocumentSource {
  return {
    name: file,
    async read() {
      const info = await stat(file);
      if (info.size > MAX_DOCUMENT_BYTES) {
        // Refuse before reading a huge file into memory.
        throw new DocumentRejectedError('TOO_LARGE', file, `${info.size} bytes, larger than ${MAX_DOCUMENT_BYTES}`);
      }
      return readFile(file);
    },
  };
}

export async function ingestFiles(
  prisma: PrismaClient,
  files: readonly string[],
  onReport: (report: FileReport, done: number) => void = () => {},
  onChange?: (change: ArchiveChange) => void,
): Promise<FileReport[]> {
  return ingestMany(prisma, files.map(fileSource), { onReport, onChange });
}
