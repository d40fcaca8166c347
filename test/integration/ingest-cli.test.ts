// The ingest CLI as a user runs it: a child process, real files, exit codes.

import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { BUNDLED_CORPUS_DIR, CORPUS_FILES } from '../support/corpus.ts';
import { createTestDatabase, type TestDatabase, testTargets } from '../support/databases.ts';

const ingestCli = (databaseUrl: string, args: string[]) =>
  runCli('src/cli/ingest.ts', args, { DATABASE_URL: databaseUrl });

for (const target of await testTargets()) {
  describe(`npm run ingest on ${target}`, () => {
    let workDir: string;
    let databaseUrl: string;
    let db: TestDatabase | undefined;

    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'ingest-cli-'));
      if (target === 'postgres') {
        db = await createTestDatabase(target);
        databaseUrl = db.url!;
      } else {
        databaseUrl = `pglite:${join(workDir, 'db')}`;
      }
      const batch = join(workDir, 'batch');
      await mkdir(batch);
      for (const file of CORPUS_FILES) await copyFile(join(BUNDLED_CORPUS_DIR, file), join(batch, file));
      await writeFile(join(batch, 'empty.txt'), '');
      await writeFile(join(batch, 'binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]));
      await writeFile(join(batch, 'title-only.txt'), 'Minsk seeks additional security guarantees\n');
      await writeFile(join(batch, 'no-date.txt'), 'A title\n\nA paragraph, but no date line above it.\n');
    });
    afterAll(async () => {
      await db?.dispose();
      await rm(workDir, { recursive: true, force: true });
    });

    it('ingests the good files of a batch, names each bad file with its reason, exits 1', async () => {
      const { code, stdout } = await ingestCli(databaseUrl, [join(workDir, 'batch')]);
      expect(code).toBe(1);
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(9);
      const lineOf = (name: string) => lines.find((line) => line.includes(name)) ?? '';
      expect(lineOf('empty.txt')).toMatch(/^REJECTED .*empty\.txt: EMPTY: empty document$/);
      expect(lineOf('binary.bin')).toMatch(/^REJECTED .*binary\.bin: NOT_TEXT: /);
      expect(lineOf('title-only.txt')).toMatch(/^REJECTED .*title-only\.txt: NO_DATE: /);
      expect(lineOf('no-date.txt')).toMatch(/^REJECTED .*no-date\.txt: NO_DATE: /);
      for (const file of CORPUS_FILES) expect(lineOf(file)).toMatch(/^CREATED /);
    });

    it('reports UNCHANGED for every file ingested again, as JSON lines, exit 0', async () => {
      const { code, stdout } = await ingestCli(databaseUrl, [
        '--json',
        ...CORPUS_FILES.map((f) => join(workDir, 'batch', f)),
      ]);
      expect(code).toBe(0);
      const reports = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(reports.map((r) => r.outcome)).toEqual(Array(CORPUS_FILES.length).fill('UNCHANGED'));
      expect(reports.every((r) => Number.isInteger(r.articleId))).toBe(true);
    });

    it('exits 2 on usage errors', async () => {
      expect((await ingestCli(databaseUrl, [])).code).toBe(2);
      expect((await ingestCli(databaseUrl, ['--verbose', workDir])).code).toBe(2);
      const missing = await ingestCli(databaseUrl, [join(workDir, 'no-such-dir')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no such file or directory: .*no-such-dir/);
    });
  });
}
