// Cold start: the server process as `npm start` runs it (the bundle), on a fresh embedded
// database (migrate, ingest the bundled corpus) and again on that database.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './bench.ts';
import { PROJECT_ROOT } from './processes.ts';
import { fmt } from './report.ts';

export async function measureColdStart({ report }: Bench): Promise<void> {
  await new Promise((resolve, reject) =>
    spawn('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).on('exit', (code) =>
      code === 0 ? resolve(code) : reject(new Error(`build failed: ${code}`)),
    ),
  );
  const dir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  const startServer = async () => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--enable-source-maps', join(PROJECT_ROOT, 'dist/server/main.js')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: `pglite:${join(dir, 'db')}`,
        PORT: '0',
        NODE_ENV: 'production',
        REDIS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    let base: string | undefined;
    for (;;) {
      base ??= /listening on (http:\/\/localhost:\d+)/.exec(out)?.[1];
      if (
        base &&
        (await fetch(`${base}/readyz`)
          .then((response) => response.ok)
          .catch(() => false))
      ) {
        const ok = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ articles(first: 1) { totalCount } }"}',
        })
          .then(
            async (response) =>
              ((await response.json()) as { data?: { articles?: { totalCount: number } } }).data?.articles
                ?.totalCount === 5,
          )
          .catch(() => false);
        if (ok) break;
      }
      if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - t0) / 1000;
    child.kill('SIGTERM');
    await once(child, 'exit');
    return seconds;
  };
  const firstStart = await startServer();
  const coldStart = await startServer();
  await rm(dir, { recursive: true, force: true });
  report.record(
    'first start on an empty embedded database: migrate, ingest the bundled corpus, first query (s)',
    fmt(firstStart, 2),
  );
  report.record(
    'cold start on the embedded database with the bundled corpus: process start → first query (s)',
    fmt(coldStart, 2),
    '≤ 3',
    coldStart <= 3,
  );
}
