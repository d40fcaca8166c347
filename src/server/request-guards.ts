// Guards in front of GraphQL: a rate limit per client address (HTTP requests and
// WebSocket subscribe messages draw from the same budget) and the HTTP body size.
//
// Rate limits are kept per client address, not per token: a caller could mint any number
// of fake bearer strings, but not of addresses. Behind a proxy, set TRUST_PROXY=1 so the
// address comes from X-Forwarded-For.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limits } from './limits.ts';

interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the client may try again (when refused). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(clientAddress: string): Promise<RateLimitVerdict>;
}

export function createRateLimiter(limits: Pick<Limits, 'rateLimitPoints' | 'rateLimitWindowSeconds'>): RateLimiter {
  const limiter = new RateLimiterMemory({ points: limits.rateLimitPoints, duration: limits.rateLimitWindowSeconds });
  return {
    async consume(clientAddress) {
      try {
        await limiter.consume(clientAddress);
        return { allowed: true, retryAfterSeconds: 0 };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
  };
}

export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded.trim()) return forwarded.split(',')[0]!.trim();
  return request.socket.remoteAddress ?? 'unknown';
}

function refuse(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({
    errors: [{ message, extensions: { code: status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST' } }],
  });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** HTTP paths exempt from rate limiting: orchestrators poll them. */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Wraps the HTTP handler: refuses oversized bodies (413, or 411 when a body comes
 * without a length) and clients over their rate (429 with Retry-After).
 */
export function guardHttp(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: { limits: Pick<Limits, 'maxBodyBytes'>; rateLimiter: RateLimiter; trustProxy: boolean },
) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!UNLIMITED_PATHS.has(path)) {
      const verdict = await options.rateLimiter.consume(clientAddressOf(request, options.trustProxy));
      if (!verdict.allowed) {
        return refuse(response, 429, `Too many requests; retry after ${verdict.retryAfterSeconds} s.`, {
          'retry-after': String(verdict.retryAfterSeconds),
        });
      }
    }
    if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') {
      const length = request.headers['content-length'];
      if (length === undefined) {
        // A chunked body could be of any size; we only accept bodies that announce theirs.
        return refuse(response, 411, 'A request body needs a Content-Length header.');
      }
      if (Number(length) > options.limits.maxBodyBytes) {
        return refuse(
          response,
          413,
          `The request body is ${length} bytes; the limit is ${options.limits.maxBodyBytes}.`,
        );
      }
    }
    handler(request, response);
  };
}
