// Reads and validates the environment once; everything else receives a Config.

export type DatabaseLocation =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };

export interface Config {
  database: DatabaseLocation;
  port: number;
  /** Redis for trend signals and the rate limit's budgets between server instances; null: in-process only. */
  redisUrl: string | null;
  /** How often each instance looks for trend events nobody signalled (ms); 0: never. */
  trendPollMs: number;
  production: boolean;
  /** Origins allowed by CORS; empty: same origin only. */
  corsOrigins: string[];
  /** Proxies in front of the server that append to X-Forwarded-For; 0: the header is ignored. */
  trustedProxyHops: number;
  /** Persisted operations, response cache, metrics and logs (docs/operations.md). */
  operations: OperationsConfig;
  /** Subscribers beyond GraphQL: feeds, the live page, webhooks (docs/subscribing.md). */
  subscribers: SubscriberConfig;
}

interface SubscriberConfig {
  /** Origin (and path prefix) of links in feeds, pages and webhooks; null: each request's own origin. */
  publicBaseUrl: string | null;
  /** Webhooks may target private addresses and plain http (for tests and local use). */
  webhookAllowPrivate: boolean;
}

export interface OperationsConfig {
  /** `allow`: documents and persisted hashes; `only`: nothing but the manifest's documents. */
  persistedOperations: 'allow' | 'only';
  /** A GraphQL Code Generator client preset manifest (persisted-documents.json); null: none. */
  persistedOperationsManifest: string | null;
  /** How long the response cache keeps a result (ms); 0 turns the cache off. */
  responseCacheTtlMs: number;
  /** Bearer token GET /metrics requires; null: open. */
  metricsToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Prefix of this deployment's Redis channels (response cache signals). */
  redisKeyPrefix: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEFAULT_RESPONSE_CACHE_TTL_MS = 300_000;

function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  const chosen = value?.trim() || fallback;
  if (!choices.includes(chosen as T))
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}; got "${value}"`);
  return chosen as T;
}

function readOperationsConfig(env: NodeJS.ProcessEnv): OperationsConfig {
  const persistedOperations = parseChoice('PERSISTED_OPERATIONS', env.PERSISTED_OPERATIONS, ['allow', 'only'], 'allow');
  const persistedOperationsManifest = env.PERSISTED_OPERATIONS_MANIFEST?.trim() || null;
  if (persistedOperations === 'only' && !persistedOperationsManifest) {
    throw new ConfigError('PERSISTED_OPERATIONS=only needs PERSISTED_OPERATIONS_MANIFEST (a persisted-documents.json)');
  }
  return {
    persistedOperations,
    persistedOperationsManifest,
    responseCacheTtlMs: parseInteger(
      'RESPONSE_CACHE_TTL_MS',
      env.RESPONSE_CACHE_TTL_MS,
      DEFAULT_RESPONSE_CACHE_TTL_MS,
      0,
      86_400_000,
    ),
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    logLevel: parseChoice('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'archive:',
  };
}

const DEFAULT_TREND_POLL_MS = 2000;

const DEFAULT_PGLITE_DIR = '.data/pglite';

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

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${value}"`);
  }
  return number;
}

function parseRedisUrl(value: string | undefined): string | null {
  const url = value?.trim();
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url))
    throw new ConfigError(`REDIS_URL must be redis://… or rediss://…; got "${url.replace(/\/\/[^@]*@/, '//***@')}"`);
  return url;
}

function parsePublicBaseUrl(value: string | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `PUBLIC_BASE_URL must be an absolute http(s) URL such as https://archive.example; got "${text}"`,
    );
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError(
      `PUBLIC_BASE_URL must be an http(s) URL without query, fragment or credentials; got "${text}"`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * TRUST_PROXY: how many proxies in front of the server append to X-Forwarded-For; the
 * client address is the entry the outermost of them appended. `true` is one, as before.
 */
function parseTrustProxy(value: string | undefined): number {
  if (value?.trim().toLowerCase() === 'true') return 1;
  if (value?.trim().toLowerCase() === 'false') return 0;
  return parseInteger('TRUST_PROXY', value?.trim(), 0, 0, 10);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    port: parseInteger('PORT', env.PORT, 4000, 0, 65535),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    trendPollMs: parseInteger('TREND_POLL_MS', env.TREND_POLL_MS, DEFAULT_TREND_POLL_MS, 0, 3_600_000),
    production: env.NODE_ENV === 'production',
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustedProxyHops: parseTrustProxy(env.TRUST_PROXY),
    operations: readOperationsConfig(env),
    subscribers: {
      publicBaseUrl: parsePublicBaseUrl(env.PUBLIC_BASE_URL),
      webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    },
  };
}
