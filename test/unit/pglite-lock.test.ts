// One process at a time per embedded database directory.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, lockPgliteDirectory } from '../../src/db/pglite-lock.ts';

describe('lockPgliteDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pglite-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a directory another live process holds, naming that process', async () => {
    const dataDir = join(dir, 'db');
    await writeFile(`${dataDir}.lock`, String(process.ppid));
    await expect(lockPgliteDirectory(dataDir)).rejects.toThrow(DatabaseInUseError);
    await expect(lockPgliteDirectory(dataDir)).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('refuses a second open within the same process, and allows it after release', async () => {
    const dataDir = join(dir, 'db');
    const release = await lockPgliteDirectory(dataDir);
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    await expect(lockPgliteDirectory(dataDir)).rejects.toThrow(DatabaseInUseError);
    await release();
    await (await lockPgliteDirectory(dataDir))();
  });

  it('takes over a lock left behind by a process that is gone', async () => {
    const dataDir = join(dir, 'db');
    await writeFile(`${dataDir}.lock`, '2147483646');
    const release = await lockPgliteDirectory(dataDir);
    expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    await release();
  });
});
