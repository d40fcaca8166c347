// `npm start` as a child process, for tests of the real server: its URL once it listens,
// and everything it printed.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './cli.ts';

let built: Promise<unknown> | undefined;
/** `npm start` runs the bundle `npm run build` makes; the tests build it once, from the current source. */
function ensureBuilt(): Promise<unknown> {
  built ??= promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT });
  return built;
}

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Starts the server as `npm start` does, on a free port, and waits for it to announce its URL. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  /** What to wait for; its first group is the base URL. The default: ready to serve the archive. */
  announced = /GraphQL API and GraphiQL at (http:\/\/localhost:\d+)\/graphql/,
): Promise<RunningServer> {
  await ensureBuilt();
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = announced.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return { child, baseUrl, output: () => output };
}
