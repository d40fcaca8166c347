// Webhook secrets and signatures in the Standard Webhooks scheme
// (https://www.standardwebhooks.com): a secret is `whsec_` + base64 of random bytes, and a
// message is signed as `v1,` + base64(HMAC-SHA256(decoded secret, "<id>.<timestamp>.<body>")).

import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The scheme asks for 24 to 64 bytes. */
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The value of the `webhook-signature` header. */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${signature}`;
}
