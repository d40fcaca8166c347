// Child processes of the benchmark: servers started and stopped, HTTP load from
// autocannon in a process of its own, and the CPU time processes spend (Linux /proc).

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PROJECT_ROOT = join(BENCH_DIR, '../..');

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/** `connections` clients POSTing `body` to `url` for `seconds` (http-load.ts); see there for `minRequests`. */
export async function httpLoad(
  url: string,
  connections: number,
  body: string,
  seconds: number,
  minRequests = 0,
): Promise<LoadResult> {
  const args = [url, String(connections), String(seconds), body, String(minRequests)];
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'http-load.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  await once(child, 'exit');
  return JSON.parse(out) as LoadResult;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a server process and resolves once it prints `listening on …<port>`. */
export async function startServerProcess(
  name: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (chunk: Buffer) => {
    out += chunk;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const deadline = Date.now() + 120_000;
  let port: string | undefined;
  while (!port) {
    port = /listening on (?:http:\/\/[\w.]+:)?(\d+)/.exec(out)?.[1];
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${out.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${name} did not start:\n${out.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.stdout!.off('data', collect);
  child.stderr!.off('data', collect);
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    child,
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** user + system CPU of a process so far, in ms (clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms so far of every PostgreSQL server process, by pid. */
export function postgresCpu(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/stat`, 'utf8').includes('(postgres)')) continue;
      byPid.set(Number(entry), cpuMsOf(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/** PostgreSQL's CPU between two readings (processes that ended meanwhile are lost: approximate). */
export function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpu()) total += ms - (before.get(pid) ?? 0);
  return total;
}
