// The public addresses of what subscribers follow: feeds, live pages and article pages,
// under a base (PUBLIC_BASE_URL or the request's origin; '' gives a relative address).

import type { FeedFormat } from './syndication.ts';

/** A scope as addresses name it. */
interface ScopeSlugs {
  category: { slug: string } | null;
  actor: { slug: string } | null;
}

/** Where a scope's feed in a format is, under `base` (an origin, perhaps with a path; '' for a relative address). */
export function feedUrl(base: string, scope: ScopeSlugs, format: FeedFormat): string {
  if (scope.actor) return `${base}/feeds/actor/${encodeURIComponent(scope.actor.slug)}.${format}`;
  if (scope.category) return `${base}/feeds/category/${encodeURIComponent(scope.category.slug)}.${format}`;
  return `${base}/feeds/all.${format}`;
}

/** The live page of a scope. */
export function livePageUrl(base: string, scope: ScopeSlugs): string {
  const query = new URLSearchParams();
  if (scope.category) query.set('category', scope.category.slug);
  if (scope.actor) query.set('actor', scope.actor.slug);
  const search = query.toString();
  return `${base}/live${search ? `?${search}` : ''}`;
}

export function articlePageUrl(base: string, slug: string): string {
  return `${base}/articles/${encodeURIComponent(slug)}`;
}
