// GET /live: the page that lists the latest trend items and prepends new ones as they are
// published (its script is src/live/client.ts, served as /live/app.js). Filters come from
// the URL (/live?category=security&actor=makei): an actor's alias slug answers 301 to the
// canonical one, an unknown slug 404. The page links its feeds for autodiscovery.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feedUrl, livePageUrl } from '../feed/addresses.ts';
import { escapeHtml } from '../feed/html.ts';
import { resolveScope, type Scope, scopeLabel, scopeWhere } from '../feed/subscription-scope.ts';
import { trendCursor } from '../feed/trend-cursor.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { plainTextResponse, respondWithValidators } from './conditional-get.ts';
import { renderPage, SITE_NAME, SITE_TIME_ZONE } from './page-layout.ts';

export const LIVE_PATH = '/live';
export const LIVE_SCRIPT_PATH = '/live/app.js';
/** Items the page opens with (replayed through the subscription). */
const LIVE_INITIAL_ITEMS = 30;
/** Items the page keeps as new ones arrive. */
const LIVE_KEPT_ITEMS = 100;

// Two levels up from src/server/ and from dist/server/ alike: the project root.
const LIVE_CLIENT_ENTRY = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'src/live/client.ts');

let liveScript: Promise<string> | null = null;

/**
 * The page's script, bundled with esbuild on first request and kept in memory: the same
 * path in `npm start`, `npm run dev` and the tests, and no cost at start-up.
 */
function bundleLiveScript(): Promise<string> {
  liveScript ??= (async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [LIVE_CLIENT_ENTRY],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  })().catch((error: unknown) => {
    liveScript = null; // the next request tries again
    throw error;
  });
  return liveScript;
}

export async function serveLiveScript(request: Request): Promise<Response> {
  return respondWithValidators(request, {
    body: await bundleLiveScript(),
    contentType: 'text/javascript; charset=utf-8',
    lastModified: null,
    // Revalidated on every view (a 304 when unchanged), so a new server's script is used at once.
    cacheControl: 'no-cache',
  });
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The feeds a scope's page advertises: its own, or for a category and an actor together, both. */
function feedScopes(scope: Scope): { scope: Scope; label: string }[] {
  if (scope.category && scope.actor) {
    return [
      { scope: { category: scope.category, actor: null }, label: scope.category.name },
      { scope: { category: null, actor: scope.actor }, label: scope.actor.name },
    ];
  }
  return [{ scope, label: scopeLabel(scope) ?? 'all articles' }];
}

const FORMAT_NAMES = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;
const FORMAT_TYPES = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };

function filterBar(scope: Scope, categories: { slug: string; name: string }[]): string {
  const tab = (category: { slug: string; name: string } | null) => {
    const href = livePageUrl('', { category, actor: scope.actor });
    const current = (scope.category?.slug ?? null) === (category?.slug ?? null);
    return `<a class="tab" href="${escapeHtml(href)}"${current ? ' aria-current="true"' : ''}>${escapeHtml(category?.name ?? 'All')}</a>`;
  };
  const actorChip = scope.actor
    ? `<span class="chip-filter">${escapeHtml(scope.actor.name)}<a href="${escapeHtml(livePageUrl('', { category: scope.category, actor: null }))}" aria-label="Show every actor" title="Show every actor">×</a></span>`
    : '';
  return `<div class="tabs">${tab(null)}${categories.map(tab).join('')}${actorChip}</div>`;
}

function subscribeLinks(scope: Scope): string {
  const [own] = feedScopes(scope);
  return `<div class="subscribe">Subscribe: ${(['rss', 'atom', 'json'] as const)
    .map((format) => `<a href="${escapeHtml(feedUrl('', own!.scope, format))}">${FORMAT_NAMES[format]}</a>`)
    .join('')}</div>`;
}

function unknownFilterPage(kind: string, slug: string): Response {
  const html = renderPage({
    title: `Not found · ${SITE_NAME}`,
    main: `<h1>No such ${escapeHtml(kind)}</h1><p class="lede">There is no ${escapeHtml(kind)} with the slug “${escapeHtml(slug)}”. <a href="/live">See every article</a>.</p>`,
    current: 'live',
  });
  return new Response(html, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export async function serveLivePage(prisma: PrismaClient, request: Request, url: URL, base: string): Promise<Response> {
  const resolution = await resolveScope(prisma, {
    category: url.searchParams.get('category') || null,
    actor: url.searchParams.get('actor') || null,
  });
  if ('unknown' in resolution) return unknownFilterPage(resolution.unknown, resolution.slug);
  const scope = resolution.found;
  if (!resolution.canonical) {
    const location = livePageUrl(base, scope);
    return plainTextResponse(301, `This page is at ${location}`, { location });
  }
  const [categories, window] = await Promise.all([
    prisma.category.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } }),
    // The newest item and the one just before the opening window: the page replays from there.
    prisma.trendEvent.findMany({
      where: scopeWhere(scope),
      orderBy: { sequence: 'desc' },
      take: LIVE_INITIAL_ITEMS + 1,
      select: { sequence: true },
    }),
  ]);
  const latest = window[0]?.sequence ?? 0;
  const replayFrom = window.length > LIVE_INITIAL_ITEMS ? window.at(-1)!.sequence : 0;
  const label = scopeLabel(scope);
  const alternates = feedScopes(scope)
    .flatMap(({ scope: feedScope, label: feedLabel }) =>
      (['rss', 'atom', 'json'] as const).map(
        (format) =>
          `<link rel="alternate" type="${FORMAT_TYPES[format]}" title="${escapeHtml(`${SITE_NAME}: ${feedLabel} (${FORMAT_NAMES[format]})`)}" href="${escapeHtml(feedUrl(base, feedScope, format))}">`,
      ),
    )
    .join('\n');
  const config = {
    graphqlPath: '/graphql',
    category: scope.category?.slug ?? null,
    actor: scope.actor?.slug ?? null,
    after: trendCursor(replayFrom),
    latest,
    keep: LIVE_KEPT_ITEMS,
    timeZone: SITE_TIME_ZONE,
  };
  const main = `<div class="page-head">
<div><h1>${label ? `Live: ${escapeHtml(label)}` : 'Live trends'}</h1>
<p class="lede">New analyses appear here the moment they are published.</p></div>
<span id="status" class="status" data-state="connecting" role="status" aria-live="polite">Connecting…</span>
</div>
<div class="toolbar">${filterBar(scope, categories)}${subscribeLinks(scope)}</div>
<p id="empty" class="empty"${latest > 0 ? ' hidden' : ''}>Nothing published here yet. New analyses will appear as they are published.</p>
<ol id="items" class="items" aria-live="polite"></ol>
<p id="count" class="count"></p>
<noscript><p class="notice">This page needs JavaScript. The same items are in the feeds linked above.</p></noscript>
<script type="application/json" id="live-config">${scriptJson(config)}</script>
<script src="${LIVE_SCRIPT_PATH}" defer></script>`;
  const html = renderPage({
    title: label ? `Live: ${label} · ${SITE_NAME}` : `Live · ${SITE_NAME}`,
    head: alternates,
    main,
    current: 'live',
  });
  return new Response(request.method === 'HEAD' ? null : html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
