// An archive stored under earlier rules for person keys is re-keyed at start-up: people
// get the keys pages now produce, and people the rules now identify become one actor.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveWriter, ingestDocument } from '../../src/archive/write/writer.ts';
import { prepareOpenDatabase } from '../../src/db/prepare.ts';
import { personKey } from '../../src/ingest/name-key.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';

for (const target of await testTargets()) {
  describe(`re-keying people on ${target}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(target);
    });
    afterEach(async () => db.dispose());

    const personByAlias = (surface: string) =>
      db.prisma.actor.findFirstOrThrow({
        where: { aliases: { some: { surface } } },
        include: { aliases: true, mentions: true },
      });

    it('renames keys stored under the old rules and merges people the new rules identify', async () => {
      for (const file of CORPUS_FILES) await ingestDocument(db.prisma, corpusPage(file), file);
      const first = await ingestDocument(
        db.prisma,
        page('Blogger detained', 'May 30, 2020 21:10', ['Police detained blogger Siarhei Tsikhanouski in Hrodna.']),
        'a.txt',
      );
      // What the earlier rules stored: surname keys with the last a/o dropped, and no
      // folding of Belarusian and Russian spellings, so the Russian spelling of the same
      // man became a second actor.
      await db.prisma.$executeRaw`UPDATE "Actor" SET key = 'person:lukashenk' WHERE key = ${personKey('Lukashenko')}`;
      await db.prisma
        .$executeRaw`UPDATE "Actor" SET key = 'person:tsikhanouski' WHERE key = ${personKey('Tsikhanouski')}`;
      const second = await ingestDocument(
        db.prisma,
        page('Trial begins', 'June 24, 2021 10:00', [
          'Sergei Tikhanovsky went on trial. Tikhanovsky pleaded not guilty.',
        ]),
        'b.txt',
      );
      expect(
        await db.prisma.actor.count({ where: { name: { in: ['Siarhei Tsikhanouski', 'Sergei Tikhanovsky'] } } }),
      ).toBe(2);
      const before = await personByAlias('Siarhei Tsikhanouski');

      await prepareOpenDatabase(db, { seed: false });

      const lukashenko = await personByAlias('Lukashenka');
      expect(lukashenko.key).toBe(personKey('Lukashenko'));
      const tsikhanouski = await personByAlias('Sergei Tikhanovsky');
      expect(tsikhanouski).toMatchObject({
        id: before.id, // the oldest actor stays, with its slug
        key: personKey('Tsikhanouski'),
        name: 'Siarhei Tsikhanouski',
        fullArticleCount: 2,
      });
      expect(tsikhanouski.aliases.map((alias) => alias.surface)).toEqual(
        expect.arrayContaining(['Siarhei Tsikhanouski', 'Tsikhanouski', 'Sergei Tikhanovsky', 'Tikhanovsky']),
      );
      expect(tsikhanouski.mentions.map((m) => [m.articleId, m.count]).sort()).toEqual(
        [
          [first.articleId, 1],
          [second.articleId, 2],
        ].sort(),
      );
      expect(await db.prisma.actor.count({ where: { name: 'Sergei Tikhanovsky' } })).toBe(0);

      // Pages ingested afterwards find the re-keyed people instead of creating new ones.
      const actorsBefore = await db.prisma.actor.count();
      await ingestDocument(
        db.prisma,
        page('Verdict', 'December 14, 2021 12:30', ['Lukashenka said nothing about Тихановский.']),
        'c.txt',
      );
      expect(await db.prisma.actor.count()).toBe(actorsBefore);
      // And starting again finds nothing to change.
      expect(await new ArchiveWriter(db).rekeyPeople()).toEqual({ renames: [], merges: [] });
    });
  });
}
