// Every limit the public endpoint enforces, with its default and the environment
// variable that changes it. The README's "Limits" table lists the same.

import { ConfigError } from '../config.ts';

export interface Limits {
  /** Selection depth (introspection excepted). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Bytes of the GraphQL document (the query text). */
  maxDocumentBytes: number;
  /** Cost of an operation: each field 1, sub-selections multiplied by `first`/`last` (default page 20), other lists by 10. */
  maxCost: number;
  /** HTTP request body. */
  maxBodyBytes: number;
  /** Wall-clock limit for executing a query or mutation. */
  executionTimeoutMs: number;
  /** Operations (HTTP requests and WebSocket subscribe messages) per client address per window. */
  rateLimitPoints: number;
  rateLimitWindowSeconds: number;
  /** WebSocket: time allowed between connecting and connection_init. */
  connectionInitTimeoutMs: number;
  maxSubscriptionsPerConnection: number;
  /** WebSocket: largest message accepted. */
  maxMessageBytes: number;
}

interface LimitSpec {
  key: keyof Limits;
  env: string;
  default: number;
  min: number;
  max: number;
  meaning: string;
}

export const LIMIT_SPECS: readonly LimitSpec[] = [
  {
    key: 'maxDepth',
    env: 'LIMIT_MAX_DEPTH',
    default: 12,
    min: 1,
    max: 100,
    meaning: 'selection depth (introspection excepted)',
  },
  { key: 'maxAliases', env: 'LIMIT_MAX_ALIASES', default: 30, min: 0, max: 1000, meaning: 'aliases per operation' },
  {
    key: 'maxDirectives',
    env: 'LIMIT_MAX_DIRECTIVES',
    default: 50,
    min: 0,
    max: 1000,
    meaning: 'directives per operation',
  },
  {
    key: 'maxTokens',
    env: 'LIMIT_MAX_TOKENS',
    default: 3000,
    min: 10,
    max: 100_000,
    meaning: 'tokens in the GraphQL document',
  },
  {
    key: 'maxDocumentBytes',
    env: 'LIMIT_MAX_DOCUMENT_BYTES',
    default: 20 * 1024,
    min: 100,
    max: 1024 * 1024,
    meaning: 'bytes of the GraphQL document',
  },
  {
    key: 'maxCost',
    env: 'LIMIT_MAX_COST',
    default: 25_000,
    min: 1,
    max: 10_000_000,
    meaning: 'operation cost: 1 per field, sub-selections × `first`/`last` (default 20), other lists × 10',
  },
  {
    key: 'maxBodyBytes',
    env: 'LIMIT_MAX_BODY_BYTES',
    default: 1024 * 1024 + 64 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
    meaning: 'HTTP request body (a 1 MiB page plus its JSON envelope)',
  },
  {
    key: 'executionTimeoutMs',
    env: 'LIMIT_EXECUTION_TIMEOUT_MS',
    default: 10_000,
    min: 10,
    max: 600_000,
    meaning: 'time to execute a query or mutation',
  },
  {
    key: 'rateLimitPoints',
    env: 'RATE_LIMIT_POINTS',
    default: 600,
    min: 1,
    max: 1_000_000,
    meaning: 'operations per client address per window (HTTP requests and WebSocket subscribes)',
  },
  {
    key: 'rateLimitWindowSeconds',
    env: 'RATE_LIMIT_WINDOW_SECONDS',
    default: 60,
    min: 1,
    max: 86_400,
    meaning: 'rate-limit window',
  },
  {
    key: 'connectionInitTimeoutMs',
    env: 'WS_CONNECTION_INIT_TIMEOUT_MS',
    default: 5_000,
    min: 100,
    max: 60_000,
    meaning: 'WebSocket: time to send connection_init',
  },
  {
    key: 'maxSubscriptionsPerConnection',
    env: 'WS_MAX_SUBSCRIPTIONS',
    default: 20,
    min: 1,
    max: 10_000,
    meaning: 'WebSocket: subscriptions open at once per connection',
  },
  {
    key: 'maxMessageBytes',
    env: 'WS_MAX_MESSAGE_BYTES',
    default: 64 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    meaning: 'WebSocket: largest message',
  },
];

export const DEFAULT_LIMITS: Limits = Object.fromEntries(
  LIMIT_SPECS.map((spec) => [spec.key, spec.default]),
) as unknown as Limits;

export function readLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const spec of LIMIT_SPECS) {
    const value = env[spec.env];
    if (value === undefined || value === '') continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number < spec.min || number > spec.max) {
      throw new ConfigError(`${spec.env} must be an integer from ${spec.min} to ${spec.max}; got "${value}"`);
    }
    limits[spec.key] = number;
  }
  return limits;
}
