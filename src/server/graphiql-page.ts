// GraphiQL's page and its assets. Yoga's own page inlines 9 MB of script, styles, workers
// and icon into every view; here the page is a few hundred bytes naming its assets by
// content hash, and each asset is served once per browser: immutable, with an ETag, and
// brotli or gzip compressed once per process. Served by a plugin placed after the
// request guards, so page and asset loads count against the rate limit.

import { createHash } from 'node:crypto';
import { type GraphiQLOptions, type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';
import { compress, negotiateEncoding } from './compression.ts';

const ASSET_PATH = '/graphiql/';

interface Asset {
  type: string;
  body: Buffer;
  /** Content hash: part of the URL and the ETag. */
  hash: string;
  path: string;
  encoded: Map<string, Promise<Buffer>>;
}

/** The assets by role, loaded on the first page view (the module is 9 MB). */
type Assets = Record<'css' | 'js' | 'favicon' | 'editorWorker' | 'jsonWorker' | 'graphqlWorker', Asset>;

async function loadAssets(): Promise<Assets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const asset = (name: string, type: string, body: Buffer): Asset => {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    return { type, body, hash, path: `${ASSET_PATH}${hash}/${name}`, encoded: new Map() };
  };
  const script = 'application/javascript; charset=utf-8';
  return {
    css: asset('graphiql.css', 'text/css; charset=utf-8', Buffer.from(bundle.css)),
    js: asset('graphiql.js', script, Buffer.from(bundle.js)),
    favicon: asset('favicon.ico', 'image/x-icon', Buffer.from(bundle.favicon.replace(/^data:[^,]*,/, ''), 'base64')),
    editorWorker: asset('editor.worker.js', script, Buffer.from(bundle.editorWorkerService)),
    jsonWorker: asset('json.worker.js', script, Buffer.from(bundle.jsonWorker)),
    graphqlWorker: asset('graphql.worker.js', script, Buffer.from(bundle.graphqlWorker)),
  };
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

function renderPage(assets: Assets, options: GraphiQLOptions): string {
  const workers = {
    editorWorkerService: assets.editorWorker.path,
    json: assets.jsonWorker.path,
    graphql: assets.graphqlWorker.path,
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${assets.favicon.path}" />
    <link rel="stylesheet" href="${assets.css.path}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${assets.js.path}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** Serves GraphiQL at GET `endpoint` (browsers, which accept text/html) and its assets under /graphiql/. */
export function useGraphiQLPage(endpoint: string, options: GraphiQLOptions): Plugin {
  let assets: Promise<Assets> | undefined;
  const loaded = () => {
    assets ??= loadAssets();
    // A failed load is not remembered: the next view retries it.
    assets.catch(() => (assets = undefined));
    return assets;
  };
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const path = url.pathname;
      if ((path === endpoint || path === `${endpoint}/`) && shouldRenderGraphiQL(request)) {
        return endResponse(
          new fetchAPI.Response(renderPage(await loaded(), options), {
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
          }),
        );
      }
      if (!path.startsWith(ASSET_PATH) || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const asset = Object.values(await loaded()).find((candidate) => candidate.path === path);
      if (!asset) return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      const headers: Record<string, string> = {
        'content-type': asset.type,
        etag: `"${asset.hash}"`,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'Accept-Encoding',
      };
      if (request.headers.get('if-none-match')?.includes(`"${asset.hash}"`)) {
        return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      }
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      let body = asset.body;
      if (encoding) {
        let encoded = asset.encoded.get(encoding);
        if (!encoded) {
          encoded = compress(asset.body, encoding, 'small');
          asset.encoded.set(encoding, encoded);
        }
        body = await encoded;
        headers['content-encoding'] = encoding;
      }
      headers['content-length'] = String(body.byteLength);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers }),
      );
    },
  };
}
