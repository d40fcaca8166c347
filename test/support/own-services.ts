// A PostgreSQL or Redis server of the test's own, on a spare port, for tests that stop
// and restart it (never the shared ones). Uses the Debian binaries on the machine.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  return join('/usr/lib/postgresql', versions.at(-1)!, 'bin', name);
}

/** PostgreSQL refuses to run as root; there it runs as the postgres user. */
async function asPostgresUser(command: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}

export interface OwnService {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

export async function createOwnPostgres(): Promise<OwnService> {
  const dir = await mkdtemp(join(tmpdir(), 'own-postgres-'));
  await chmod(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await sparePort();
  if (process.getuid?.() === 0) await run('chown', ['postgres', dir]);
  await asPostgresUser(postgresBin('initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const pgCtl = (action: string, extra: string[] = []) =>
    asPostgresUser(postgresBin('pg_ctl'), [action, '-D', dataDir, '-w', '-t', '30', ...extra]);
  let running = false;
  const service: OwnService = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await pgCtl('start', [
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-l',
        join(dir, 'log'),
      ]);
      running = true;
    },
    async stop() {
      if (running) await pgCtl('stop', ['-m', 'immediate']);
      running = false;
    },
    async destroy() {
      await service.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return service;
}

export async function createOwnRedis(): Promise<OwnService> {
  const port = await sparePort();
  let child: ChildProcess | null = null;
  const service: OwnService = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const { Redis } = await import('ioredis');
      const probe = new Redis(service.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await probe.connect();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      probe.disconnect();
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      child = null;
    },
    destroy: () => service.stop(),
  };
  return service;
}
