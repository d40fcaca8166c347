// The SQL source of the write side (archive-write.sql), read for the migration that
// installs it and for the test that the database runs what the source says.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WRITE_FUNCTIONS_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'archive-write.sql');

export function readWriteFunctionsSource(): Promise<string> {
  return readFile(WRITE_FUNCTIONS_SOURCE, 'utf8');
}

/** Each function the source defines, with its body as PostgreSQL stores it (pg_proc.prosrc). */
export function functionsDefinedIn(source: string): { name: string; body: string }[] {
  const definitions = source.matchAll(/^CREATE OR REPLACE FUNCTION (\w+)\([\s\S]*?\$\$([\s\S]*?)\$\$/gm);
  return [...definitions].map(([, name, body]) => ({ name: name!, body: body! }));
}
