// `npm run db:migrate`: apply pending migrations to DATABASE_URL's database.
// `npm run db:migration:create -- <name>`: write a new migration from schema.prisma.
// `npm run db:write-migration`: write a migration installing src/archive/write/archive-write.sql.

import { readConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { applyMigrations, createMigration, createWriteFunctionsMigration } from '../db/migrations.ts';

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  if (command === 'apply') {
    const database = await openDatabase(readConfig().database);
    try {
      const applied = await applyMigrations(database.adapterFactory);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command === 'create' && name) {
    // Authored on a throwaway in-memory database: the engine replays every migration on it.
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      const created = await createMigration(database.adapterFactory, name);
      console.log(created ? `created ${created.directory}` : 'schema.prisma matches the migrations: nothing to create');
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command === 'write-functions') {
    const created = await createWriteFunctionsMigration();
    console.log(created ? `created ${created.directory}` : 'the migrations install archive-write.sql as it is');
    return 0;
  }
  console.error('usage: migrate apply | migrate create <name> | migrate write-functions');
  return 2;
}

// The WASM engine keeps the event loop alive after its work is done.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`migration failed: ${error.message}`);
    process.exit(1);
  },
);
