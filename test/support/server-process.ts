// `npm start` as a child process, for tests of the real server: its URL once it listens,
// and everything it printed.

import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from './cli.ts';

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Starts `src/server/main.ts` on a free port and waits for it to announce its URL. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  /** What to wait for; its first group is the base URL. The default: ready to serve the archive. */
  announced = /GraphQL API and GraphiQL at (http:\/\/localhost:\d+)\/graphql/,
): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
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
