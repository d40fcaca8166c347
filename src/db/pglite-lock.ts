// An embedded PGlite directory must be opened by one process at a time: two processes
// writing the same files corrupt it, and PGlite itself does not prevent that. A lock
// file beside the directory names the process holding it, so `npm run ingest` or
// `npm run token` next to a running `npm start` fails with a clear message instead.

import { readFile, rm, writeFile } from 'node:fs/promises';

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dataDir`; returns its release. A lock left by a dead process is taken over. */
export async function lockPgliteDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new DatabaseInUseError(
          `the embedded database ${dataDir} is in use by process ${holder} (a running npm start?); ` +
            'stop it first, or use a PostgreSQL server through DATABASE_URL=postgres://…',
        );
      }
      await rm(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseInUseError(`could not lock the embedded database ${dataDir}`);
}
