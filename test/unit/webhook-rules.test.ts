// The rules behind webhooks, alone: which addresses a webhook may reach, the signature
// (against the standardwebhooks package's own signing), secrets, and the retry backoff.

import { Webhook as StandardWebhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/feed/webhook-dispatcher.ts';
import { generateWebhookSecret, signWebhook } from '../../src/feed/webhook-signature.ts';
import { isPublicAddress } from '../../src/feed/webhook-url.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254', // cloud metadata
    '100.100.100.200', // another cloud's metadata (carrier-grade NAT range)
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:8.8.8.8', // IPv4-mapped: refused whatever it carries, as at delivery
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '172.32.0.1', '192.169.0.1'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('webhook signatures', () => {
  it('signs exactly as the Standard Webhooks reference library does', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'trend.published', data: { title: 'Minsk & «Москва»' } });
    const timestamp = 1_764_547_200;
    expect(signWebhook(secret, '42', timestamp, body)).toBe(
      new StandardWebhook(secret).sign('42', new Date(timestamp * 1000), body),
    );
  });

  it('makes secrets of 32 random bytes behind whsec_', () => {
    const secrets = new Set(Array.from({ length: 20 }, generateWebhookSecret));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    }
  });
});

describe('retryDelayMs', () => {
  it('doubles per failure from the base up to the cap, with up to half of each step as jitter', () => {
    for (const [failures, step] of [
      [1, 1_000],
      [2, 2_000],
      [5, 16_000],
      [13, 3_600_000],
      [40, 3_600_000],
    ] as const) {
      const delays = Array.from({ length: 200 }, () => retryDelayMs(failures, 1_000, 3_600_000));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(step / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(step);
      expect(new Set(delays).size).toBeGreaterThan(100); // jittered, not one value
    }
  });
});
