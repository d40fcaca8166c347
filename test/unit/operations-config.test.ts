// The operator's settings for persisted operations, the response cache, metrics and logs:
// defaults, and a clear refusal of values that cannot work.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.ts';
import { readManifest } from '../../src/server/persisted-operations.ts';

describe('operations settings', () => {
  it('default to documents and hashes alike, a 5-minute cache, open metrics and info logs', () => {
    expect(readConfig({}).operations).toEqual({
      persistedOperations: 'allow',
      persistedOperationsManifest: null,
      responseCacheTtlMs: 300_000,
      metricsToken: null,
      logLevel: 'info',
      redisKeyPrefix: 'archive:',
    });
  });

  it('refuses values that cannot work, naming the variable', () => {
    expect(() => readConfig({ PERSISTED_OPERATIONS: 'only' })).toThrow(
      /PERSISTED_OPERATIONS=only needs PERSISTED_OPERATIONS_MANIFEST/,
    );
    expect(() => readConfig({ PERSISTED_OPERATIONS: 'sometimes' })).toThrow(ConfigError);
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info/);
    expect(() => readConfig({ RESPONSE_CACHE_TTL_MS: '-1' })).toThrow(/RESPONSE_CACHE_TTL_MS must be an integer/);
    expect(readConfig({ RESPONSE_CACHE_TTL_MS: '0' }).operations.responseCacheTtlMs).toBe(0);
  });
});

describe('readManifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a client preset manifest, keyed by the hash without its "sha256:" prefix', async () => {
    const file = join(dir, 'good.json');
    await writeFile(file, JSON.stringify({ [`sha256:${'a'.repeat(64)}`]: '{ categories { slug } }' }));
    expect(readManifest(file)).toEqual(new Map([['a'.repeat(64), '{ categories { slug } }']]));
  });

  it('refuses a file that is missing or not a manifest, naming it', async () => {
    expect(() => readManifest(join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json/);
    const array = join(dir, 'array.json');
    await writeFile(array, '[]');
    expect(() => readManifest(array)).toThrow(/is not a JSON object of hashes to documents/);
    const badHash = join(dir, 'bad.json');
    await writeFile(badHash, JSON.stringify({ 'sha1:abc': '{ categories { slug } }' }));
    expect(() => readManifest(badHash)).toThrow(/not "sha256:<hex>": "<document>" \(sha1:abc\)/);
  });
});
