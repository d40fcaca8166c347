// The committed migrations must produce exactly schema.prisma, on every database.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffMigrationsAgainstSchema, readMigrations } from '../../src/db/migrations.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';

for (const target of await testTargets()) {
  describe(`migrations on ${target}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(target);
    });
    afterAll(async () => db.dispose());

    it('produce exactly schema.prisma (empty diff)', async () => {
      expect(await diffMigrationsAgainstSchema(db.adapterFactory)).toBe('');
    });

    it("are recorded in Prisma's _prisma_migrations table, and applying again applies nothing", async () => {
      const { migrationDirectories } = await readMigrations();
      const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
        SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
      expect(rows.map((row) => row.migration_name)).toEqual(migrationDirectories.map((dir) => dir.path));
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
      expect(await applyMigrations(db.adapterFactory)).toEqual([]);
    });

    it('reports a failing migration instead of recording it as applied', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
      await mkdir(join(dir, '20200101000000_broken'));
      await writeFile(
        join(dir, '20200101000000_broken/migration.sql'),
        'CREATE TABLE "Fine" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n',
      );
      const broken = await createTestDatabase(target);
      try {
        await broken.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE');
        await broken.prisma.$executeRawUnsafe('CREATE SCHEMA public');
        await expect(applyMigrations(broken.adapterFactory, dir)).rejects.toThrow(/NoSuchTable/);
        const recorded = await broken.prisma.$queryRaw<
          { finished_at: Date | null }[]
        >`SELECT finished_at FROM _prisma_migrations`;
        expect(recorded.map((row) => row.finished_at)).toEqual([null]);
      } finally {
        await broken.dispose();
        await rm(dir, { recursive: true });
      }
    });
  });
}
