// Which URLs a webhook may point at. The server POSTs to them, so an editor must not be
// able to aim it at the machine itself, its network or a cloud metadata service: only
// https URLs whose host resolves to public unicast addresses, unless private targets are
// allowed (WEBHOOK_ALLOW_PRIVATE=1, for tests and local use). The same rule is enforced
// again at every delivery, on the address actually connected to (webhook-sender.ts), since
// a name may resolve differently later.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type WebhookUrlProblem = 'INVALID_URL' | 'NOT_HTTPS' | 'PRIVATE_ADDRESS' | 'UNRESOLVABLE';

export class WebhookUrlRefused extends Error {
  override name = 'WebhookUrlRefused';
  constructor(
    readonly problem: WebhookUrlProblem,
    message: string,
  ) {
    super(message);
  }
}

const MAX_URL_LENGTH = 2048;
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Public unicast only: not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16 with the metadata address 169.254.169.254, fe80::/10),
 * carrier-grade NAT (100.64/10, where some clouds put their metadata), unspecified,
 * multicast, reserved, nor IPv4-mapped or other IPv6 forms that carry an IPv4 address.
 * The rule of request-filtering-agent, which guards each delivery's connection.
 */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.parse(address).range() === 'unicast';
}

async function addressesOf(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return found.map((entry) => entry.address);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL, parsed, if a webhook may target it; otherwise a WebhookUrlRefused naming the problem. */
export async function checkWebhookUrl(url: string, options: { allowPrivate: boolean }): Promise<URL> {
  if (url.length > MAX_URL_LENGTH) {
    throw new WebhookUrlRefused(
      'INVALID_URL',
      `The URL is ${url.length} characters long; the limit is ${MAX_URL_LENGTH}.`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookUrlRefused('INVALID_URL', `"${url.slice(0, 100)}" is not an absolute URL.`);
  }
  if (parsed.protocol !== 'https:' && !(options.allowPrivate && parsed.protocol === 'http:')) {
    throw new WebhookUrlRefused(
      'NOT_HTTPS',
      `Webhook URLs must use https; got ${parsed.protocol.replace(':', '')}.` +
        (parsed.protocol === 'http:' ? ' (WEBHOOK_ALLOW_PRIVATE=1 allows http, for local use.)' : ''),
    );
  }
  if (options.allowPrivate) return parsed;
  // URL keeps IPv6 literals in brackets.
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(hostname)) addresses = [hostname];
  else {
    try {
      addresses = await addressesOf(hostname);
    } catch (error) {
      throw new WebhookUrlRefused('UNRESOLVABLE', `"${hostname}" does not resolve: ${(error as Error).message}.`);
    }
  }
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined) {
    throw new WebhookUrlRefused(
      'PRIVATE_ADDRESS',
      `"${hostname}" resolves to ${refused}, a loopback, private, link-local or otherwise non-public address.`,
    );
  }
  return parsed;
}
