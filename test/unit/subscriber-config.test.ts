// PUBLIC_BASE_URL and WEBHOOK_ALLOW_PRIVATE as readConfig reads them.

import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.ts';

describe('the subscribers configuration', () => {
  it('defaults to the request origin and public webhook targets only', () => {
    expect(readConfig({}).subscribers).toEqual({ publicBaseUrl: null, webhookAllowPrivate: false });
  });

  it.each([
    ['https://archive.example', 'https://archive.example'],
    ['https://archive.example/', 'https://archive.example'],
    ['http://example.org:8080/archive/', 'http://example.org:8080/archive'],
    ['  https://ARCHIVE.example  ', 'https://archive.example'],
  ])('reads PUBLIC_BASE_URL %j as %s', (value, expected) => {
    expect(readConfig({ PUBLIC_BASE_URL: value }).subscribers.publicBaseUrl).toBe(expected);
  });

  it.each(['archive.example', 'ftp://archive.example', 'https://archive.example/?a=1', 'https://user@archive.example'])(
    'refuses PUBLIC_BASE_URL %j, saying what it must be',
    (value) => {
      expect(() => readConfig({ PUBLIC_BASE_URL: value })).toThrow(ConfigError);
      expect(() => readConfig({ PUBLIC_BASE_URL: value })).toThrow(/PUBLIC_BASE_URL must be/);
    },
  );

  it('allows private webhook targets only when WEBHOOK_ALLOW_PRIVATE is 1 or true', () => {
    expect(readConfig({ WEBHOOK_ALLOW_PRIVATE: '1' }).subscribers.webhookAllowPrivate).toBe(true);
    expect(readConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).subscribers.webhookAllowPrivate).toBe(true);
    expect(readConfig({ WEBHOOK_ALLOW_PRIVATE: '0' }).subscribers.webhookAllowPrivate).toBe(false);
  });
});
