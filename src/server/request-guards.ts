// Guards in front of GraphQL, as one yoga plugin, so that the Node server, `yoga.fetch`
// and WebSocket operations go through the same code: a rate limit per client address
// (HTTP requests, GraphiQL's page and assets included, and WebSocket operations draw
// from the same budget) and the HTTP body size.
//
// Rate limits are kept per client address, not per token: a caller could mint any number
// of fake bearer strings, but not of addresses. Behind proxies, the address is the one
// the outermost trusted proxy appended to X-Forwarded-For (see `clientAddress`).

import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from './limits.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface RequestGuardOptions {
  limits: Pick<Limits, 'maxBodyBytes'>;
  rateLimiter: RateLimiter;
  /** Proxies in front of the server that append to X-Forwarded-For; 0: trust no such header. */
  trustedProxyHops: number;
}

/** HTTP paths exempt from rate limiting: orchestrators poll them. */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz']);

/**
 * The address a request is counted under. Each trusted proxy appends the address it got
 * the request from to X-Forwarded-For, so behind `trustedProxyHops` proxies the client is
 * the entry that many places from the right; whatever stands further left was written
 * by the client and proves nothing. With fewer entries than hops (a request that skipped
 * the outer proxies), the leftmost entry is taken.
 */
export function clientAddress(
  peerAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trustedProxyHops: number,
): string {
  const peer = peerAddress ?? 'unknown';
  if (trustedProxyHops === 0 || !forwardedFor) return peer;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return peer;
  return entries[Math.max(0, entries.length - trustedProxyHops)]!;
}

/** What the Node adapter (or a WebSocket's upgrade) knows of the connection. */
interface WithNodeRequest {
  req?: IncomingMessage;
}

function headerOf(request: IncomingMessage | undefined, name: string): string | undefined {
  const value = request?.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry after ${retryAfterSeconds} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
  });
}

/** Why a request body is refused before it is read, or null. */
function bodyRefusal(request: Request, maxBodyBytes: number): { status: number; code: string; message: string } | null {
  if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return null;
  const length = request.headers.get('content-length');
  if (length === null) {
    if (request.body === null) return null;
    // A chunked body could be of any size; we only accept bodies that announce theirs.
    return { status: 411, code: 'BAD_REQUEST', message: 'A request body needs a Content-Length header.' };
  }
  if (Number(length) > maxBodyBytes) {
    return {
      status: 413,
      code: 'REQUEST_TOO_LARGE',
      message: `The request body is ${length} bytes; the limit is ${maxBodyBytes}.`,
    };
  }
  return null;
}

export function useRequestGuards(options: RequestGuardOptions): Plugin {
  const { rateLimiter, trustedProxyHops } = options;
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
          }),
        );
      if (UNLIMITED_PATHS.has(url.pathname)) return;
      const peer = (serverContext as WithNodeRequest).req?.socket?.remoteAddress;
      const address = clientAddress(peer, request.headers.get('x-forwarded-for'), trustedProxyHops);
      const verdict = await rateLimiter.consume(address);
      if (!verdict.allowed) {
        const seconds = verdict.retryAfterSeconds;
        return refuse(429, 'RATE_LIMITED', `Too many requests; retry after ${seconds} s.`, {
          'retry-after': String(seconds),
        });
      }
      const refusal = bodyRefusal(request, options.limits.maxBodyBytes);
      if (refusal) refuse(refusal.status, refusal.code, refusal.message);
    },
    async onContextBuilding({ context }) {
      // An operation that came over HTTP was counted in onRequest; one that did not (a
      // WebSocket message: no Request, the upgrade request instead) is counted here.
      if ((context as { request?: unknown }).request) return;
      const upgrade = (context as WithNodeRequest).req;
      const address = clientAddress(
        upgrade?.socket?.remoteAddress,
        headerOf(upgrade, 'x-forwarded-for'),
        trustedProxyHops,
      );
      const verdict = await rateLimiter.consume(address);
      if (!verdict.allowed) throw rateLimitedError(verdict.retryAfterSeconds);
    },
  };
}
