// Reads and validates the environment once; everything else receives a Config.

export type DatabaseLocation =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };

export interface Config {
  database: DatabaseLocation;
  port: number;
}

export const DEFAULT_PGLITE_DIR = '.data/pglite';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * `DATABASE_URL` unset → embedded PGlite in `.data/pglite`;
 * `pglite:memory` → PGlite in memory; `pglite:<dir>` → PGlite in that directory;
 * `postgres://…` or `postgresql://…` → a PostgreSQL server.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseLocation {
  const value = url?.trim();
  if (!value) return { kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR };
  if (value.startsWith('pglite:')) {
    const dir = value.slice('pglite:'.length);
    if (dir === 'memory' || dir === 'memory://') return { kind: 'pglite', dataDir: null };
    if (!dir) throw new ConfigError('DATABASE_URL "pglite:" needs a directory or "memory", e.g. pglite:.data/pglite');
    return { kind: 'pglite', dataDir: dir };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  throw new ConfigError(
    `DATABASE_URL must be unset, pglite:<dir>, pglite:memory or postgres://…; got "${value.replace(/\/\/[^@]*@/, '//***@')}"`,
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535; got "${value}"`);
  }
  return port;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    port: parsePort(env.PORT),
  };
}
