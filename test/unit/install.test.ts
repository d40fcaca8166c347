// `npm ci` on the Node the README names installs without an engine warning: every
// package in the lockfile accepts it. npm reads the lockfile only (--dry-run --offline),
// in a scratch directory, so nothing here touches the project's node_modules.

import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli.ts';

it('npm ci prints no EBADENGINE warning on this Node', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'install-check-'));
  try {
    for (const file of ['package.json', 'package-lock.json'])
      await copyFile(join(PROJECT_ROOT, file), join(scratch, file));
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
      { cwd: scratch },
    );
    expect(stdout).toMatch(/added \d+ packages/);
    const unsupported = [...stderr.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map((match) => match[1]);
    expect(unsupported).toEqual([]);
    expect(stderr).not.toMatch(/EBADENGINE/);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}, 60_000);
