// The bundled corpus, read once for tests.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLED_CORPUS_DIR = fileURLToPath(new URL('../../prisma/seed/corpus', import.meta.url));

export const CORPUS_FILES = readdirSync(BUNDLED_CORPUS_DIR)
  .filter((name) => name.endsWith('.txt'))
  .sort();

export function corpusPage(name: string): Buffer {
  return readFileSync(join(BUNDLED_CORPUS_DIR, name));
}

export function corpusText(name: string): string {
  return corpusPage(name).toString('utf8');
}
