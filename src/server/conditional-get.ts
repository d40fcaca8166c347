// Responses to GET and HEAD with validators (RFC 9110 §13): a strong ETag from the body,
// Last-Modified, and 304 Not Modified when the client's copy is current, so a feed reader
// polling every few minutes downloads a feed only when it changed.

import { createHash } from 'node:crypto';

export interface Representation {
  body: string;
  contentType: string;
  /** Null when the resource has no meaningful modification time. */
  lastModified: Date | null;
  cacheControl: string;
}

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The entity tags of an If-None-Match list, for weak comparison (as GET requires): without `W/`, quotes kept. */
export function entityTagsOf(header: string): string[] {
  return header.split(',').map((candidate) => candidate.trim().replace(/^W\//, ''));
}

/** If-None-Match with weak comparison, or '*'. */
function matchesETag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return entityTagsOf(header).includes(etag);
}

function notModifiedSince(header: string, lastModified: Date): boolean {
  const since = Date.parse(header);
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

export function respondWithValidators(request: Request, representation: Representation): Response {
  const etag = etagOf(representation.body);
  const headers = new Headers({ etag, 'cache-control': representation.cacheControl });
  if (representation.lastModified) headers.set('last-modified', representation.lastModified.toUTCString());
  const ifNoneMatch = request.headers.get('if-none-match');
  const ifModifiedSince = request.headers.get('if-modified-since');
  // If-None-Match, when present, decides alone (RFC 9110 §13.2.2).
  const current =
    ifNoneMatch !== null
      ? matchesETag(ifNoneMatch, etag)
      : ifModifiedSince !== null && representation.lastModified !== null
        ? notModifiedSince(ifModifiedSince, representation.lastModified)
        : false;
  if (current) return new Response(null, { status: 304, headers });
  headers.set('content-type', representation.contentType);
  headers.set('content-length', String(Buffer.byteLength(representation.body)));
  return new Response(request.method === 'HEAD' ? null : representation.body, { status: 200, headers });
}

export function plainTextResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
