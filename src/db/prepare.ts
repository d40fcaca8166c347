// Brings a database to a usable state: open it, apply pending migrations and, on an
// empty archive, ingest the bundled corpus. Used by `npm start` and `npm run ingest`.

import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveWriter } from '../archive/write/writer.ts';
import type { Config } from '../config.ts';
import { fileSource, listDocumentFiles } from '../ingest/ingest-files.ts';
import { type Database, type OpenDatabaseOptions, openDatabase } from './database.ts';
import { applyMigrations, pendingMigrationNames } from './migrations.ts';

const BUNDLED_CORPUS_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'prisma/seed/corpus');

export interface PrepareOptions extends OpenDatabaseOptions {
  /** Ingest the bundled corpus when the archive holds no article. */
  seed: boolean;
  log?: (message: string) => void;
}

export async function prepareDatabase(config: Pick<Config, 'database'>, options: PrepareOptions): Promise<Database> {
  const database = await openDatabase(config.database, options);
  try {
    await prepareOpenDatabase(database, options);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Applies pending migrations and, when asked, seeds an empty archive. Safe to repeat. */
export async function prepareOpenDatabase(database: Database, options: Omit<PrepareOptions, 'onQuery'>): Promise<void> {
  const log = options.log ?? (() => {});
  // Starting the schema engine (WASM) costs about a second; skip it when the database
  // already records every committed migration as finished.
  const pending = await pendingMigrationNames(database.prisma).catch(() => null); // no migrations table yet: a fresh database
  if (pending === null || pending.length > 0) {
    const applied = await applyMigrations(database.adapterFactory);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  }
  // Before anything listens: a server's live feed and caches start from what is stored.
  const writer = new ArchiveWriter(database);
  const rekeyed = await writer.rekeyPeople();
  if (rekeyed.renames.length || rekeyed.merges.length) {
    log(`re-keyed people under today's rules: ${rekeyed.renames.length} renamed, ${rekeyed.merges.length} merged`);
  }
  if (options.seed && (await database.prisma.article.count()) === 0) {
    // Source names relative to the working directory read better than absolute paths.
    const files = await listDocumentFiles([relative(process.cwd(), BUNDLED_CORPUS_DIR) || '.']);
    const reports = await writer.ingestMany(files.map(fileSource));
    const failed = reports.filter((report) => report.outcome === 'REJECTED' || report.outcome === 'FAILED');
    if (failed.length) throw new Error(`bundled corpus did not ingest: ${JSON.stringify(failed)}`);
    log(`ingested the bundled corpus: ${reports.length} documents`);
  }
}

/** One line for the operator: what the archive holds right now. */
export async function describeArchive(prisma: Database['prisma']): Promise<string> {
  const [full, stubs, actors, links, trends] = await Promise.all([
    prisma.article.count({ where: { isStub: false } }),
    prisma.article.count({ where: { isStub: true } }),
    prisma.actor.count(),
    prisma.relatedLink.count(),
    prisma.trendEvent.count(),
  ]);
  return `archive holds ${full} full articles, ${stubs} stubs, ${actors} actors, ${links} related links, ${trends} trend events`;
}
