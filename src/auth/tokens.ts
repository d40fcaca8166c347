// API tokens: random secrets shown once, stored only as SHA-256 hashes. A request's
// token is looked up by its hash through a unique index, so no secret is ever compared
// byte by byte in our code (nothing to time).

import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';

const TOKEN_PREFIX = 'bya_';
const KNOWN_SCOPES = ['editor'] as const;

export interface Viewer {
  tokenName: string;
  scopes: string[];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenError extends Error {
  override name = 'TokenError';
}

/** Creates a token and returns its secret; only the hash is stored. */
export async function createToken(
  prisma: PrismaClient,
  name: string,
  scopes: readonly string[] = ['editor'],
): Promise<string> {
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new TokenError(`token name must be 1-64 letters, digits, ".", "_" or "-"; got "${name}"`);
  const unknown = scopes.filter((scope) => !(KNOWN_SCOPES as readonly string[]).includes(scope));
  if (unknown.length)
    throw new TokenError(`unknown scope(s): ${unknown.join(', ')}; known: ${KNOWN_SCOPES.join(', ')}`);
  const existing = await prisma.apiToken.findUnique({ where: { name } });
  if (existing) {
    // A name stays taken once revoked, so that a name in old logs means one token only.
    throw new TokenError(
      existing.revokedAt
        ? `the name "${name}" belonged to a token revoked on ${existing.revokedAt.toISOString()}; choose another name`
        : `a token named "${name}" exists already; choose another name, or revoke it first (npm run token -- revoke ${name})`,
    );
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await prisma.apiToken.create({ data: { name, tokenHash: hashToken(token), scopes: [...scopes] } });
  return token;
}

export async function revokeToken(prisma: PrismaClient, name: string): Promise<void> {
  const { count } = await prisma.apiToken.updateMany({
    where: { name, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new TokenError(`no active token named "${name}"`);
}

/** The viewer an `Authorization: Bearer <token>` header stands for, or null. */
export async function viewerForAuthorization(
  prisma: PrismaClient,
  authorization: string | null,
): Promise<Viewer | null> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  return { tokenName: row.name, scopes: row.scopes };
}
