// Ingests files and directories one document at a time: a bad file is reported and
// skipped, the others still land.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
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
          .filter((file) => !relative(path, file).split('/').some((part) => part.startsWith('.')))
          .sort(),
      );
    } else {
      files.push(path);
    }
  }
  return files;
}

async function ingestFile(prisma: PrismaClient, file: string): Promise<FileReport> {
  try {
    const info = await stat(file);
    if (info.size > MAX_DOCUMENT_BYTES) {
      // Refuse before reading a huge file into memory.
      throw new DocumentRejectedError('TOO_LARGE', file, `${info.size} bytes, larger than ${MAX_DOCUMENT_BYTES}`);
    }
    const result = await ingestDocument(prisma, await readFile(file), file);
    return { file, outcome: result.outcome, articleId: result.articleId, warnings: result.warnings };
  } catch (error) {
    if (error instanceof DocumentRejectedError) {
      return { file, outcome: 'REJECTED', reason: error.reason, message: error.detail };
    }
    return { file, outcome: 'FAILED', message: error instanceof Error ? error.message : String(error) };
  }
}

export async function ingestFiles(
  prisma: PrismaClient,
  files: readonly string[],
  onReport: (report: FileReport, done: number) => void = () => {},
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const file of files) {
    const report = await ingestFile(prisma, file);
    reports.push(report);
    onReport(report, reports.length);
  }
  return reports;
}
