// The HTTP app around the schema: readiness follows the database and its migrations,
// and production mode masks unexpected errors while user errors stay readable.

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { createApp } from '../../src/server/app.ts';
import { createTestDatabase, testTargets } from '../support/databases.ts';

const ARTICLES = JSON.stringify({ query: '{ articles(first: 1) { totalCount } }' });
const post = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

for (const target of await testTargets()) {
  describe(`the HTTP app on ${target}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('is ready only once the database answers with every migration applied', async () => {
      const db = await createTestDatabase(target);
      cleanups.push(() => db.dispose());
      const app = createApp({ prisma: db.prisma });
      cleanups.push(() => app.stop());
      expect((await app.yoga.fetch('http://archive.test/healthz')).status).toBe(200);
      expect((await app.yoga.fetch('http://archive.test/readyz')).status).toBe(200);

      // Drop the migration history: a database that is behind is not ready.
      await db.prisma.$executeRawUnsafe('DELETE FROM _prisma_migrations');
      expect((await app.yoga.fetch('http://archive.test/readyz')).status).toBe(503);
      expect((await app.yoga.fetch('http://archive.test/healthz')).status).toBe(200);
    });

    it('masks unexpected errors in production but keeps user errors readable', async () => {
      const db = await createTestDatabase(target);
      const production = createApp({ prisma: db.prisma, production: true });
      const development = createApp({ prisma: db.prisma });
      cleanups.push(async () => {
        await production.stop();
        await development.stop();
      });

      const userError = await (
        await production.yoga.fetch(
          'http://archive.test/graphql',
          post(JSON.stringify({ query: '{ articles(first: 101) { totalCount } }' })),
        )
      ).json();
      expect(userError.errors[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: expect.stringContaining('"first"'),
      });

      await db.dispose(); // every query now fails inside Prisma
      const masked = await (await production.yoga.fetch('http://archive.test/graphql', post(ARTICLES))).json();
      expect(masked.errors[0].message).toBe('Unexpected error.');
      expect(JSON.stringify(masked)).not.toMatch(/prisma|stack|SELECT|originalError/i);
      const detailed = await (await development.yoga.fetch('http://archive.test/graphql', post(ARTICLES))).json();
      expect(detailed.errors[0].extensions.originalError).toBeDefined();
    });
  });
}

describe('the HTTP app on a fresh embedded database', () => {
  it('reports not ready on an unmigrated database, and ready after migrating', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    const app = createApp({ prisma: database.prisma });
    expect((await app.yoga.fetch('http://archive.test/readyz')).status).toBe(503);
    await applyMigrations(database.adapterFactory);
    expect((await app.yoga.fetch('http://archive.test/readyz')).status).toBe(200);
    await app.stop();
    await database.close();
  });
});
