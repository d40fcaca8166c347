// Response compression, brotli or gzip as the client's Accept-Encoding prefers.
//
// Not @whatwg-node/server's useContentEncoding: it compresses through CompressionStream,
// which holds Server-Sent Events back until a block fills (live items would wait), has no
// brotli on Node 20, and also inflates compressed request bodies, which would bypass the
// body-size limit. Here whole responses are compressed (GraphQL results, GraphiQL's page),
// streams are left alone, and request bodies are never inflated.

import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

type ContentEncoding = 'br' | 'gzip';

const ENCODINGS: readonly ContentEncoding[] = ['br', 'gzip'];

/**
 * The encoding to answer with for an Accept-Encoding header: the acceptable one with the
 * highest weight, brotli on a tie; null when neither is acceptable (`q=0`, or absent).
 */
export function negotiateEncoding(acceptEncoding: string | null): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...parameters] = part.split(';').map((piece) => piece.trim());
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = quality === undefined ? 1 : Number(quality.slice(2));
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: ContentEncoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  let best: ContentEncoding | null = null;
  for (const encoding of ENCODINGS) {
    if (weightOf(encoding) > 0 && (best === null || weightOf(encoding) > weightOf(best))) best = encoding;
  }
  return best;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses off the main thread (zlib's thread pool). 'fast' for answers made per
 * request; 'small' for static assets compressed once (brotli's top quality took seconds
 * on GraphiQL's 5 MB script, quality 9 about one).
 */
export async function compress(body: Uint8Array, encoding: ContentEncoding, effort: 'fast' | 'small'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: effort === 'fast' ? 6 : 9 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: effort === 'fast' ? 5 : 9,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

/** Whole-body answers worth compressing; event streams and multipart responses are not among them. */
const COMPRESSIBLE_TYPES =
  /^(application\/(json|graphql-response\+json|javascript)|text\/(html|css|plain|javascript))\b/i;
/** Below this, compression costs more than it saves. */
const MIN_COMPRESSED_BYTES = 1024;

export function useCompression(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!response.body || response.headers.has('content-encoding')) return;
      if (!COMPRESSIBLE_TYPES.test(response.headers.get('content-type') ?? '')) return;
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      if (!encoding) {
        // Caches must not hand this uncompressed answer to a client that asks for brotli.
        response.headers.append('vary', 'Accept-Encoding');
        return;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'Accept-Encoding');
      let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
      if (body.byteLength >= MIN_COMPRESSED_BYTES) {
        body = await compress(body, encoding, 'fast');
        headers.set('content-encoding', encoding);
      }
      headers.set('content-length', String(body.byteLength));
      setResponse(
        new fetchAPI.Response(body as Uint8Array<ArrayBuffer>, {
          status: response.status,
          statusText: response.statusText,
          headers,
        }),
      );
    },
  };
}
