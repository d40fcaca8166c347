// GraphQL over Server-Sent Events in both modes of the graphql-sse protocol, through
// yoga's graphql-sse plugin at /graphql/stream. Distinct-connections mode (the graphql-sse
// client's default, one stream per operation) also works at /graphql, which is yoga's own
// SSE. Single-connection mode (a stream reserved with PUT, operations sent with its token)
// lives only at /graphql/stream; a client that tries it at /graphql is told so.
//
// The same CSRF rule as /graphql: a request a browser may send cross-site without a
// preflight (GET, or a POST of a form or text type) must carry the CSRF header. The
// stream token header counts, since a browser would preflight it.

import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const GRAPHQL_SSE_PATH = '/graphql/stream';
/** Sent by graphql-sse clients in single-connection mode, with the token of their reserved stream. */
const STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';
/** Content types a browser sends cross-site without asking first (as in yoga's CSRF plugin). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

function sentWithoutPreflight(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  const type = request.headers.get('content-type')?.toLowerCase();
  return request.method === 'POST' && (!type || SIMPLE_CONTENT_TYPES.some((simple) => type.startsWith(simple)));
}

export function useGraphQLSse(options: { graphqlPath: string; csrfHeader: string }): Plugin {
  const streams = useGraphQLSSE({ endpoint: GRAPHQL_SSE_PATH });
  return {
    ...streams,
    async onRequest(payload) {
      const { request, url, endResponse, fetchAPI } = payload;
      const refuse = (status: number, code: string, message: string) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      if (
        url.pathname === options.graphqlPath &&
        (request.method === 'PUT' || request.headers.has(STREAM_TOKEN_HEADER))
      ) {
        return refuse(
          405,
          'SSE_SINGLE_CONNECTION_ELSEWHERE',
          `graphql-sse's single-connection mode is served at ${GRAPHQL_SSE_PATH}: point the client's url there. ` +
            `Distinct-connections mode (the client's default) works at ${options.graphqlPath} and ${GRAPHQL_SSE_PATH}.`,
        );
      }
      if (url.pathname !== GRAPHQL_SSE_PATH) return;
      if (
        sentWithoutPreflight(request) &&
        !request.headers.has(options.csrfHeader) &&
        !request.headers.has(STREAM_TOKEN_HEADER)
      ) {
        return refuse(403, 'CSRF_HEADER_MISSING', `Required CSRF header(s) not present: ${options.csrfHeader}`);
      }
      try {
        await streams.onRequest?.(payload);
      } catch (error) {
        // The plugin parses the operation itself and lets a syntax error (or a document
        // over the limits) escape as a 500 with its stack: answer it as /graphql would.
        if (!(error instanceof GraphQLError)) throw error;
        const { http: _http, ...extensions } = error.extensions;
        const answer = { message: error.message, locations: error.locations, extensions };
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [answer] }), {
            status: 400,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      }
    },
  };
}
