// GET /feeds/all.<ext>, /feeds/category/<slug>.<ext> and /feeds/actor/<slug>.<ext>, where
// <ext> is rss, atom or json: the newest items of the trend log as RSS 2.0, Atom 1.0 or
// JSON Feed 1.1. An actor's alias slug answers 301 with the canonical address; an unknown
// slug 404 with a plain-text reason.

import { articlePageUrl, feedUrl, livePageUrl } from '../feed/addresses.ts';
import { resolveScope, type Scope, scopeLabel } from '../feed/subscription-scope.ts';
import { FEED_FORMATS, FEED_MEDIA_TYPES, type FeedFormat, feedUpdatedAt, renderFeed } from '../feed/syndication.ts';
import { newestTrendItems } from '../feed/trend-items.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { plainTextResponse, respondWithValidators } from './conditional-get.ts';
import { SITE_NAME } from './page-layout.ts';

/** Items per feed. */
export const FEED_ITEMS = 50;
/** Readers and caches may reuse a feed this long (s) before asking again (then mostly 304). */
const FEED_MAX_AGE_SECONDS = 60;

const FEED_PATH = /^\/feeds\/(?:all|(category|actor)\/([^/]+))\.([a-z]+)$/;

export type FeedRequest = { kind: 'category' | 'actor'; slug: string; format: string } | { format: string };

/** The feed a path asks for, or null when the path is no feed's. */
export function parseFeedPath(pathname: string): FeedRequest | null {
  const match = FEED_PATH.exec(pathname);
  if (!match) return null;
  const [, kind, slug, format] = match;
  if (!kind) return { format: format! };
  let decoded: string;
  try {
    decoded = decodeURIComponent(slug!);
  } catch {
    decoded = slug!;
  }
  return { kind: kind as 'category' | 'actor', slug: decoded, format: format! };
}

function isFeedFormat(format: string): format is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(format);
}

function describe(scope: Scope): string {
  if (scope.actor) return `Analyses of Belarusian foreign and security policy that name ${scope.actor.name}.`;
  if (scope.category)
    return `Analyses of Belarusian foreign and security policy in the category ${scope.category.name}.`;
  return 'Analyses of Belarusian foreign and security policy, as they are published.';
}

export async function serveFeed(
  prisma: PrismaClient,
  request: Request,
  feed: FeedRequest,
  base: string,
): Promise<Response> {
  if (!isFeedFormat(feed.format)) {
    return plainTextResponse(404, `No feed format "${feed.format}": use .rss, .atom or .json.`);
  }
  const format = feed.format;
  const resolution = await resolveScope(prisma, 'kind' in feed ? { [feed.kind]: feed.slug } : {});
  if ('unknown' in resolution) {
    return plainTextResponse(404, `No ${resolution.unknown} with the slug "${resolution.slug}".`);
  }
  const scope = resolution.found;
  if (!resolution.canonical) {
    return plainTextResponse(301, `This feed is at ${feedUrl(base, scope, format)}`, {
      location: feedUrl(base, scope, format),
      'cache-control': `public, max-age=${FEED_MAX_AGE_SECONDS}`,
    });
  }
  const items = await newestTrendItems(prisma, scope, FEED_ITEMS);
  const label = scopeLabel(scope);
  const body = renderFeed(format, {
    title: label ? `${SITE_NAME}: ${label}` : SITE_NAME,
    description: describe(scope),
    homeUrl: livePageUrl(base, scope),
    feedUrls: {
      rss: feedUrl(base, scope, 'rss'),
      atom: feedUrl(base, scope, 'atom'),
      json: feedUrl(base, scope, 'json'),
    },
    articleUrl: (slug) => articlePageUrl(base, slug),
    categoryScheme: `${base}/feeds/category/`,
    actorScheme: `${base}/feeds/actor/`,
    items,
  });
  return respondWithValidators(request, {
    body,
    contentType: FEED_MEDIA_TYPES[format],
    lastModified: feedUpdatedAt(items),
    cacheControl: `public, max-age=${FEED_MAX_AGE_SECONDS}`,
  });
}
