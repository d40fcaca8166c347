// A run on a machine without PostgreSQL skips the tests that need it, and its summary
// says so and why (not only a warning that scrolls away). A child vitest run against an
// address where nothing listens shows it; only the skip record is selected, so nothing
// else runs.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli.ts';

it('lists the tests a run without PostgreSQL skipped, with the reason', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/postgres' };
  delete env.CI;
  delete env.TEST_DATABASES;
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  const vitest = join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs');
  const args = [
    'run',
    '--config',
    'test/vitest.config.ts',
    'test/integration/migrations.test.ts',
    '-t',
    'tests that need',
  ];
  const { stdout } = await promisify(execFile)(process.execPath, [vitest, ...args], { cwd: PROJECT_ROOT, env });
  expect(stdout).toContain(
    '↓ tests that need PostgreSQL [PostgreSQL at postgres://postgres@127.0.0.1:1/postgres is unreachable; CI=true makes this a failure]',
  );
  expect(stdout).toMatch(/Tests\s+\d+ skipped/);
}, 60_000);
