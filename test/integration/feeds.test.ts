// The RSS, Atom and JSON feeds and the article pages they link to, read the way feed
// readers read them: RSS and Atom through rss-parser (xml2js in strict mode, so a feed
// that is not well-formed XML fails), JSON Feed through @extractus/feed-extractor, and
// each format's required elements checked on the document itself.

import { extractFromJson } from '@extractus/feed-extractor';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createApp } from '../../src/server/app.ts';
import { FEED_ITEMS } from '../../src/server/feeds.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { testTargets } from '../support/databases.ts';
import { startServer } from '../support/server-process.ts';

const ORIGIN = 'http://archive.test';
const PUBLIC_BASE = 'https://news.example/archive';

/** Everything a feed must carry through unharmed: markup characters, quotes, Cyrillic. */
const TRICKY_TITLE = 'Minsk & Warsaw agree on "<border>" talks';
const TRICKY_CREDIT = 'БелТА & «Reuters»';
const TRICKY_LEAD =
  "Foreign Minister Maxim Ryzhenkov met his Polish counterpart: <b>not bold</b> & 'quoted' “curly” — Мінск.";
const TRICKY_PAGE = [
  `Security: ${TRICKY_TITLE}`,
  '',
  'November 23, 2026 10:00',
  `Фото: ${TRICKY_CREDIT}`,
  '',
  TRICKY_LEAD,
  '',
  'A second paragraph names Vladimir Makey and the Kremlin.',
  '',
].join('\n');

const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface ParsedItem {
  title?: string;
  link?: string;
  guid?: string;
  id?: string;
  pubDate?: string;
  isoDate?: string;
  content?: string;
  summary?: string;
  mediaCredit?: string;
  updated?: string;
  published?: string;
  atomUpdated?: string;
  categoryElements?: { _?: string; $: Record<string, string> }[];
}

const parser = new Parser<Record<string, unknown>, ParsedItem>({
  customFields: {
    item: [
      ['media:credit', 'mediaCredit'],
      ['atom:updated', 'atomUpdated'],
      ['updated', 'updated'],
      ['published', 'published'],
      ['category', 'categoryElements', { keepArray: true }],
    ],
  },
});

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  authors: { name: string }[];
  items: {
    id: string;
    url: string;
    title: string;
    summary: string;
    content_html?: string;
    content_text?: string;
    date_published: string;
    date_modified: string;
    tags: string[];
    _archive?: { image_credit: string };
  }[];
}

for (const target of await testTargets()) {
  describe(`feeds on ${target}`, () => {
    let api: TestApi;
    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      api.app.yoga.fetch(`${ORIGIN}${path}`, { method, headers, redirect: 'manual' });
    const text = async (path: string) => {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      return response.text();
    };

    beforeAll(async () => {
      api = await createTestApi(target);
      await ingestDocument(api.db.prisma, TRICKY_PAGE, 'tricky.txt');
    });
    afterAll(async () => api?.close());

    it('serves RSS 2.0 that a reader parses, with every required element and RFC 822 dates', async () => {
      const response = await get('/feeds/all.rss');
      expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const xml = await response.text();
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
      const feed = await parser.parseString(xml);
      expect(feed.title).toBe('Belarus foreign-policy archive');
      expect(feed.link).toBe(`${ORIGIN}/live`);
      expect(feed.description).toBeTruthy();
      expect(feed.lastBuildDate).toMatch(RFC_822);
      expect(feed.items).toHaveLength(6); // the 5 bundled pages and ours
      for (const item of feed.items) {
        expect(item.title).toBeTruthy();
        expect(item.link).toMatch(new RegExp(`^${ORIGIN}/articles/[a-z0-9-]+$`));
        expect(item.guid).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
        expect(item.pubDate).toMatch(RFC_822);
        expect(item.atomUpdated).toMatch(RFC_3339);
        expect(item.content).toBeTruthy();
      }
      // Newest in the trend log first: ours was published last.
      const [ours] = feed.items;
      expect(ours!.title).toBe(TRICKY_TITLE);
      expect(ours!.content).toBe(TRICKY_LEAD);
      expect(ours!.mediaCredit).toBe(TRICKY_CREDIT);
      expect(ours!.isoDate).toBe('2026-11-23T07:00:00.000Z'); // 10:00 in Minsk
      expect(ours!.categoryElements).toEqual(
        expect.arrayContaining([
          { _: 'Security', $: { domain: `${ORIGIN}/feeds/category/` } },
          { _: 'Vladimir Makei', $: { domain: `${ORIGIN}/feeds/actor/` } },
          { _: 'Russia', $: { domain: `${ORIGIN}/feeds/actor/` } },
        ]),
      );
      // The credits of the bundled pages where they have one, and none where they have none.
      expect(feed.items.map((item) => item.mediaCredit).slice(1)).toEqual(
        (
          await api.db.prisma.trendEvent.findMany({
            orderBy: { sequence: 'desc' },
            select: { article: { select: { imageCredit: true } } },
          })
        )
          .slice(1)
          .map((event) => event.article.imageCredit ?? undefined),
      );
    });

    it('serves Atom 1.0 (RFC 4287) that a reader parses, with every required element and RFC 3339 dates', async () => {
      const response = await get('/feeds/all.atom');
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await response.text();
      expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
      const feed = await parser.parseString(xml);
      expect(feed.title).toBe('Belarus foreign-policy archive');
      expect(feed.feedUrl).toBe(`${ORIGIN}/feeds/all.atom`);
      expect(feed.lastBuildDate).toMatch(RFC_3339); // the feed's <updated>
      // Required at feed level: id, title, updated, and an author (none of the entries has one).
      expect(xml).toMatch(/<feed[^>]*>\s*<id>http:\/\/archive\.test\/feeds\/all\.atom<\/id>/);
      expect(xml).toMatch(/<author>\s*<name>Belarus foreign-policy archive<\/name>\s*<\/author>/);
      expect(feed.items).toHaveLength(6);
      for (const entry of feed.items) {
        expect(entry.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
        expect(entry.title).toBeTruthy();
        expect(entry.link).toMatch(new RegExp(`^${ORIGIN}/articles/`));
        expect(entry.updated).toMatch(RFC_3339);
        expect(entry.published).toMatch(RFC_3339);
        expect(entry.summary).toBeTruthy();
      }
      const [ours] = feed.items;
      expect(ours!.title).toBe(TRICKY_TITLE);
      expect(ours!.summary).toBe(TRICKY_LEAD);
      expect(ours!.mediaCredit).toBe(TRICKY_CREDIT);
      expect(ours!.published).toBe('2026-11-23T07:00:00.000Z');
      expect(ours!.categoryElements).toEqual(
        expect.arrayContaining([
          { $: { term: 'security', label: 'Security', scheme: `${ORIGIN}/feeds/category/` } },
          { $: { term: 'vladimir-makei', label: 'Vladimir Makei', scheme: `${ORIGIN}/feeds/actor/` } },
        ]),
      );
    });

    it('serves JSON Feed 1.1 that a reader parses, with every required member', async () => {
      const response = await get('/feeds/all.json');
      expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      const json = (await response.json()) as JsonFeed;
      const read = extractFromJson(json as unknown as Record<string, unknown>);
      expect(read.title).toBe('Belarus foreign-policy archive');
      expect(read.link).toBe(`${ORIGIN}/live`);
      expect(read.entries).toHaveLength(6);
      expect(read.entries![0]).toMatchObject({ title: TRICKY_TITLE, published: '2026-11-23T07:00:00.000Z' });
      expect(json.version).toBe('https://jsonfeed.org/version/1.1');
      expect(json.feed_url).toBe(`${ORIGIN}/feeds/all.json`);
      expect(json.authors).toEqual([{ name: 'Belarus foreign-policy archive' }]);
      for (const item of json.items) {
        // 1.1 requires a string id and content_html or content_text.
        expect(typeof item.id).toBe('string');
        expect(item.content_html ?? item.content_text).toBeTruthy();
        expect(item.url).toMatch(new RegExp(`^${ORIGIN}/articles/`));
        expect(item.date_published).toMatch(RFC_3339);
        expect(item.date_modified).toMatch(RFC_3339);
      }
      const [ours] = json.items;
      expect(ours).toMatchObject({
        title: TRICKY_TITLE,
        summary: TRICKY_LEAD,
        _archive: { image_credit: TRICKY_CREDIT },
      });
      expect(ours!.tags).toEqual(expect.arrayContaining(['Security', 'Vladimir Makei', 'Russia']));
      expect(ours!.content_html).toContain(
        '<p>Foreign Minister Maxim Ryzhenkov met his Polish counterpart: &lt;b&gt;not bold&lt;/b&gt; &amp; &#39;quoted&#39; “curly” — Мінск.</p>',
      );
    });

    it('gives every item the same id in every format and from every base URL', async () => {
      const rss = await parser.parseString(await text('/feeds/all.rss'));
      const atom = await parser.parseString(await text('/feeds/all.atom'));
      const json = (await (await get('/feeds/all.json')).json()) as JsonFeed;
      const ids = rss.items.map((item) => item.guid);
      expect(new Set(ids).size).toBe(6);
      expect(atom.items.map((entry) => entry.id)).toEqual(ids);
      expect(json.items.map((item) => item.id)).toEqual(ids);

      const elsewhere = createApp({ prisma: api.db.prisma, subscribers: { publicBaseUrl: PUBLIC_BASE } });
      try {
        const response = await elsewhere.yoga.fetch(`${ORIGIN}/feeds/all.rss`);
        const feed = await parser.parseString(await response.text());
        expect(feed.items.map((item) => item.guid)).toEqual(ids);
        // PUBLIC_BASE_URL, not the request's origin, in every link.
        expect(feed.link).toBe(`${PUBLIC_BASE}/live`);
        for (const item of feed.items) expect(item.link).toMatch(new RegExp(`^${PUBLIC_BASE}/articles/`));
      } finally {
        await elsewhere.stop();
      }
    });

    it("leads the server's front door to the live page", async () => {
      const front = await get('/');
      expect(front.status).toBe(302);
      expect(new URL(front.headers.get('location')!).pathname).toBe('/live');
    });

    it('links every item to an article page that exists and shows the article', async () => {
      const feed = await parser.parseString(await text('/feeds/all.rss'));
      for (const item of feed.items) {
        const html = await text(new URL(item.link!).pathname);
        expect(html).toContain(`<link rel="canonical" href="${item.link}">`);
        expect(html).toContain('<article class="full">');
      }
      const ours = await text(new URL(feed.items[0]!.link!).pathname);
      expect(ours).toContain('<h1>Minsk &amp; Warsaw agree on &quot;&lt;border&gt;&quot; talks</h1>');
      expect(ours).toContain('Photo: БелТА &amp; «Reuters»');
      expect(ours).toContain('&lt;b&gt;not bold&lt;/b&gt;');
      const missing = await get('/articles/no-such-article');
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('No such article');
    });

    it('filters by category and by actor; an alias answers 301 to the canonical feed, an unknown slug 404', async () => {
      const security = (await (await get('/feeds/category/security.json')).json()) as JsonFeed;
      expect(security.title).toBe('Belarus foreign-policy archive: Security');
      expect(security.items.length).toBeGreaterThan(0);
      for (const item of security.items) expect(item.tags[0]).toBe('Security');
      const all = (await (await get('/feeds/all.json')).json()) as JsonFeed;
      expect(security.items.length).toBeLessThan(all.items.length);

      const alias = await get('/feeds/actor/makey.atom');
      expect(alias.status).toBe(301);
      expect(alias.headers.get('location')).toBe(`${ORIGIN}/feeds/actor/vladimir-makei.atom`);
      const makei = await parser.parseString(await text('/feeds/actor/vladimir-makei.atom'));
      expect(makei.title).toBe('Belarus foreign-policy archive: Vladimir Makei');
      expect(makei.items.length).toBeGreaterThanOrEqual(2); // a bundled page and ours
      for (const entry of makei.items) {
        expect(entry.categoryElements!.map((category) => category.$.term)).toContain('vladimir-makei');
      }

      for (const [path, reason] of [
        ['/feeds/category/no-such-category.rss', 'No category with the slug "no-such-category".'],
        ['/feeds/actor/nobody.json', 'No actor with the slug "nobody".'],
        ['/feeds/all.xml', 'No feed format "xml": use .rss, .atom or .json.'],
      ] as const) {
        const response = await get(path);
        expect(response.status, path).toBe(404);
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await response.text()).toBe(`${reason}\n`);
      }
      const post = await get('/feeds/all.rss', {}, 'POST');
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    });

    it('answers conditional GETs with 304 until the feed changes, and says how long to cache', async () => {
      const first = await get('/feeds/all.atom');
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(lastModified).toMatch(RFC_822);
      expect(first.headers.get('cache-control')).toBe('public, max-age=60');

      const byETag = await get('/feeds/all.atom', { 'if-none-match': etag });
      expect(byETag.status).toBe(304);
      expect(await byETag.text()).toBe('');
      expect(byETag.headers.get('etag')).toBe(etag);
      expect((await get('/feeds/all.atom', { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
      expect((await get('/feeds/all.atom', { 'if-modified-since': lastModified })).status).toBe(304);
      const head = await get('/feeds/all.atom', {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
      expect(await head.text()).toBe('');

      await ingestDocument(
        api.db.prisma,
        ['Politics: A later page', '', 'November 24, 2026 09:00', '', 'Minsk spoke again.', ''].join('\n'),
        'later.txt',
      );
      const changed = await get('/feeds/all.atom', { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      const feed = await parser.parseString(await changed.text());
      expect(feed.items[0]!.title).toBe('A later page');
    });
  });
}

const [firstTarget] = await testTargets();

describe(`a feed holds the ${FEED_ITEMS} newest items (${firstTarget})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(firstTarget!, { corpus: false, syntheticPages: FEED_ITEMS + 3 });
  });
  afterAll(async () => api?.close());

  it(`lists the ${FEED_ITEMS} newest items of the trend log, newest first`, async () => {
    const events = await api.db.prisma.trendEvent.findMany({
      orderBy: { sequence: 'desc' },
      take: FEED_ITEMS,
      select: { article: { select: { slug: true } } },
    });
    const response = await api.app.yoga.fetch(`${ORIGIN}/feeds/all.rss`);
    const feed = await parser.parseString(await response.text());
    expect(feed.items.map((item) => item.link)).toEqual(
      events.map((event) => `${ORIGIN}/articles/${event.article.slug}`),
    );
  });
});

describe('before the archive is prepared', () => {
  it('answers 503 with Retry-After, so readers come back', async () => {
    const unprepared = await openDatabase({ kind: 'pglite', dataDir: null }); // no migrations applied
    const logged: string[] = [];
    const app = createApp({ prisma: unprepared.prisma, log: (message) => logged.push(message) });
    try {
      for (const path of ['/feeds/all.rss', '/live', '/articles/anything']) {
        const response = await app.yoga.fetch(`${ORIGIN}${path}`);
        expect(response.status, path).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(await response.text()).toBe('The archive cannot answer right now; try again shortly.\n');
      }
      expect(logged).toHaveLength(3);
    } finally {
      await app.stop();
      await unprepared.close();
    }
  });
});

describe('npm start', () => {
  it('serves the three feeds and /live on the bundled corpus with no other step', async () => {
    const server = await startServer('pglite:memory');
    try {
      for (const format of ['rss', 'atom'] as const) {
        const response = await fetch(`${server.baseUrl}/feeds/all.${format}`);
        expect(response.status).toBe(200);
        expect((await parser.parseString(await response.text())).items).toHaveLength(5);
      }
      const json = (await (await fetch(`${server.baseUrl}/feeds/all.json`)).json()) as JsonFeed;
      expect(json.items).toHaveLength(5);
      const live = await fetch(`${server.baseUrl}/live`);
      expect(live.status).toBe(200);
      const html = await live.text();
      expect(html).toContain(`<link rel="alternate" type="application/rss+xml"`);
      const script = await fetch(`${server.baseUrl}/live/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toContain('trendPublished');
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
