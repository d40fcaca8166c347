// Trend items as syndication feeds: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1.
//
// Plain functions from items to text; the HTTP side (src/server/feeds.ts) chooses the
// items, the URLs and the caching. XML is written by xmlbuilder2, which escapes text and
// attributes and replaces characters XML cannot carry.

import { v5 as uuidV5 } from 'uuid';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { escapeHtml, paragraphsHtml } from './html.ts';
import type { TrendItem } from './trend-items.ts';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Entry ids derive from it and the article's identity: never change it. */
const ENTRY_ID_NAMESPACE = '6a2af3f0-3fd5-421b-acfd-9c4efb725f88';
const PUBLISHER = 'Belarus foreign-policy archive';
const MEDIA_RSS = 'http://search.yahoo.com/mrss/';
const ATOM = 'http://www.w3.org/2005/Atom';
const CONTENT_MODULE = 'http://purl.org/rss/1.0/modules/content/';
const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export interface FeedDocument {
  title: string;
  description: string;
  /** The HTML page this feed stands for. */
  homeUrl: string;
  /** This feed in each format (the requested one is its `self` link). */
  feedUrls: Record<FeedFormat, string>;
  /** The canonical page of an article. */
  articleUrl: (slug: string) => string;
  /** Taxonomy URLs of category and actor terms (RSS `domain`, Atom `scheme`). */
  categoryScheme: string;
  actorScheme: string;
  /** Newest first. */
  items: TrendItem[];
}

/**
 * A stable id for an entry, whatever the host the feed is read from: a name-based UUID of
 * the article's identity (normalised title and publication time), which never changes.
 */
function entryId(item: TrendItem): string {
  return `urn:uuid:${uuidV5(item.article.identity, ENTRY_ID_NAMESPACE)}`;
}

/** When the item last changed: its article's last change, or its entry into the log if later. */
function itemUpdatedAt(item: TrendItem): Date {
  return new Date(Math.max(item.article.updatedAt.getTime(), item.addedAt.getTime()));
}

/** When the feed last changed; the Unix epoch for an empty feed (it has never had content). */
export function feedUpdatedAt(items: readonly TrendItem[]): Date {
  return new Date(Math.max(0, ...items.map((item) => itemUpdatedAt(item).getTime())));
}

function xmlDocument(): XMLBuilder {
  // Control characters a captured page may hold cannot appear in XML 1.0 at all.
  return create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
}

/** RFC 822 (with a four-digit year, as RFC 1123 and every reader expect), in GMT. */
function rfc822(date: Date): string {
  return date.toUTCString();
}

function renderRss(feed: FeedDocument): string {
  const channel = xmlDocument()
    .ele('rss', { version: '2.0', 'xmlns:atom': ATOM, 'xmlns:content': CONTENT_MODULE, 'xmlns:media': MEDIA_RSS })
    .ele('channel');
  channel.ele('title').txt(feed.title);
  channel.ele('link').txt(feed.homeUrl);
  channel.ele('description').txt(feed.description);
  channel.ele('language').txt('en');
  channel.ele('atom:link', { href: feed.feedUrls.rss, rel: 'self', type: FEED_MEDIA_TYPES.rss.split(';')[0]! });
  const updated = rfc822(feedUpdatedAt(feed.items));
  channel.ele('pubDate').txt(updated);
  channel.ele('lastBuildDate').txt(updated);
  channel.ele('generator').txt(PUBLISHER);
  for (const item of feed.items) {
    const entry = channel.ele('item');
    entry.ele('title').txt(item.article.title);
    entry.ele('link').txt(feed.articleUrl(item.article.slug));
    entry.ele('guid', { isPermaLink: 'false' }).txt(entryId(item));
    entry.ele('pubDate').txt(rfc822(item.article.publishedAt));
    // RSS 2.0 has no element for an item's last change; Atom's (RFC 3339) is the usual extension.
    entry.ele('atom:updated').txt(itemUpdatedAt(item).toISOString());
    // Readers take an RSS description as HTML: the lead is escaped once more to stay text.
    entry.ele('description').txt(escapeHtml(item.article.lead));
    entry.ele('content:encoded').txt(paragraphsHtml(item.article.paragraphs));
    if (item.article.category) {
      entry.ele('category', { domain: feed.categoryScheme }).txt(item.article.category.name);
    }
    for (const actor of item.article.actors) entry.ele('category', { domain: feed.actorScheme }).txt(actor.name);
    if (item.article.imageCredit) entry.ele('media:credit', { role: 'photographer' }).txt(item.article.imageCredit);
  }
  return channel.end({ prettyPrint: true });
}

function renderAtom(feed: FeedDocument): string {
  const root = xmlDocument().ele(ATOM, 'feed', { 'xml:lang': 'en' }).att('xmlns:media', MEDIA_RSS);
  root.ele('id').txt(feed.feedUrls.atom);
  root.ele('title').txt(feed.title);
  root.ele('subtitle').txt(feed.description);
  root.ele('updated').txt(feedUpdatedAt(feed.items).toISOString());
  root.ele('author').ele('name').txt(PUBLISHER);
  root.ele('generator').txt(PUBLISHER);
  root.ele('link', { rel: 'self', type: FEED_MEDIA_TYPES.atom.split(';')[0]!, href: feed.feedUrls.atom });
  root.ele('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl });
  for (const item of feed.items) {
    const entry = root.ele('entry');
    entry.ele('id').txt(entryId(item));
    entry.ele('title', { type: 'text' }).txt(item.article.title);
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: feed.articleUrl(item.article.slug) });
    entry.ele('published').txt(item.article.publishedAt.toISOString());
    entry.ele('updated').txt(itemUpdatedAt(item).toISOString());
    entry.ele('summary', { type: 'text' }).txt(item.article.lead);
    entry.ele('content', { type: 'html' }).txt(paragraphsHtml(item.article.paragraphs));
    if (item.article.category) {
      const { slug, name } = item.article.category;
      entry.ele('category', { term: slug, label: name, scheme: feed.categoryScheme });
    }
    for (const actor of item.article.actors) {
      entry.ele('category', { term: actor.slug, label: actor.name, scheme: feed.actorScheme });
    }
    if (item.article.imageCredit) entry.ele('media:credit', { role: 'photographer' }).txt(item.article.imageCredit);
  }
  return root.end({ prettyPrint: true });
}

function renderJsonFeed(feed: FeedDocument): string {
  return JSON.stringify(
    {
      version: JSON_FEED_VERSION,
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feed.feedUrls.json,
      description: feed.description,
      language: 'en',
      authors: [{ name: PUBLISHER }],
      items: feed.items.map((item) => ({
        id: entryId(item),
        url: feed.articleUrl(item.article.slug),
        title: item.article.title,
        summary: item.article.lead,
        content_html: paragraphsHtml(item.article.paragraphs),
        date_published: item.article.publishedAt.toISOString(),
        date_modified: itemUpdatedAt(item).toISOString(),
        tags: [
          ...(item.article.category ? [item.article.category.name] : []),
          ...item.article.actors.map((a) => a.name),
        ],
        // JSON Feed has no field for it; extensions start with an underscore.
        ...(item.article.imageCredit ? { _archive: { image_credit: item.article.imageCredit } } : {}),
      })),
    },
    null,
    2,
  );
}

export function renderFeed(format: FeedFormat, feed: FeedDocument): string {
  switch (format) {
    case 'rss':
      return renderRss(feed);
    case 'atom':
      return renderAtom(feed);
    case 'json':
      return renderJsonFeed(feed);
  }
}
