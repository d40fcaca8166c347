// The files a command names: directories expanded, each file read only when its turn
// comes and refused unread when it is too large. ArchiveWriter.ingestMany stores them.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DocumentRejectedError, MAX_DOCUMENT_BYTES } from './parse-document.ts';

/** A document to ingest: its name (reported, stored as the source name) and how to read it. */
export interface DocumentSource {
  name: string;
  /** The bytes; throws DocumentRejectedError to refuse the document without reading it (too large). */
  read(): Promise<string | Uint8Array>;
}

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

/** A file as a document to ingest. */
export function fileSource(file: string): DocumentSource {
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
