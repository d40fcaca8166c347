/// <reference lib="dom" />
// The live page's script (bundled by esbuild when /live/app.js is first asked for).
//
// One subscription does everything: `trendPublished(after: <cursor>)` first replays what
// was published after the cursor the server put in the page (the latest items of the
// page's filter), then continues live. Each item moves the cursor on; when the socket
// drops, graphql-ws reconnects with our backoff and subscribes again with the cursor of
// the last item shown, so the server replays exactly what was missed. Items are also
// keyed by sequence, so none can be shown twice.

import { createClient } from 'graphql-ws/client';

interface LiveConfig {
  graphqlPath: string;
  category: string | null;
  actor: string | null;
  /** Cursor to replay from: just before the latest items of this filter. */
  after: string;
  /** Sequence of the newest item when the page was made (0: none); later ones are new to the reader. */
  latest: number;
  /** Items kept on the page. */
  keep: number;
  timeZone: string;
}

interface Named {
  slug: string;
  name: string;
}

interface LiveItem {
  sequence: number;
  cursor: string;
  publishedAt: string;
  article: {
    slug: string;
    title: string;
    lead: string;
    publishedAt: string;
    imageCredit: string | null;
    category: Named | null;
    actors: { edges: { node: Named }[] };
  };
}

const SUBSCRIPTION = `subscription LivePage($category: String, $actor: String, $after: String) {
  trendPublished(category: $category, actor: $actor, after: $after) {
    sequence cursor publishedAt
    article {
      slug title lead publishedAt imageCredit
      category { slug name }
      actors(first: 6) { edges { node { slug name } } }
    }
  }
}`;

type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Waits before reconnect attempt n (0-based): 0.5 s doubling to 15 s, each with up to half again of jitter. */
function backoffMs(attempt: number): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * base;
}

const config = JSON.parse(document.getElementById('live-config')!.textContent!) as LiveConfig;
const list = document.getElementById('items') as HTMLOListElement;
const empty = document.getElementById('empty') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const count = document.getElementById('count') as HTMLElement;

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: config.timeZone,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

function ago(iso: string): string {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (seconds > -45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes > -60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours > -24) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}

function liveHref(filter: { category?: string; actor?: string }): string {
  const query = new URLSearchParams(filter).toString();
  return `/live${query ? `?${query}` : ''}`;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderItem(item: LiveItem): HTMLLIElement {
  const { article } = item;
  const card = element('li', { class: 'item', 'data-sequence': String(item.sequence) });
  const meta = element('div', { class: 'meta' });
  if (article.category) {
    meta.append(
      element('a', { class: 'badge', href: liveHref({ category: article.category.slug }) }, article.category.name),
    );
  }
  meta.append(
    element('time', { datetime: article.publishedAt }, `${dateFormat.format(new Date(article.publishedAt))} (Minsk)`),
  );
  meta.append(element('span', { class: 'added', 'data-added': item.publishedAt }, `added ${ago(item.publishedAt)}`));
  const title = element('h2');
  title.append(element('a', { href: `/articles/${encodeURIComponent(article.slug)}` }, article.title));
  card.append(meta, title);
  if (article.lead) card.append(element('p', { class: 'lead' }, article.lead));
  const actors = article.actors.edges.map((edge) => edge.node);
  if (actors.length) {
    const row = element('div', { class: 'actors' });
    for (const actor of actors)
      row.append(element('a', { class: 'actor', href: liveHref({ actor: actor.slug }) }, actor.name));
    card.append(row);
  }
  if (article.imageCredit) card.append(element('p', { class: 'credit' }, `Photo: ${article.imageCredit}`));
  return card;
}

const shown = new Set<number>();
let fresh = 0;

function show(item: LiveItem): void {
  if (shown.has(item.sequence)) return;
  shown.add(item.sequence);
  const card = renderItem(item);
  // Items arrive oldest first; the newest goes on top.
  list.prepend(card);
  if (item.sequence > config.latest) {
    fresh++;
    card.classList.add('fresh');
    setTimeout(() => card.classList.remove('fresh'), 2500);
  }
  while (list.children.length > config.keep) list.lastElementChild!.remove();
  empty.hidden = true;
  const items = list.children.length;
  count.textContent = `${items} ${items === 1 ? 'item' : 'items'} · ${fresh} new since you opened this page`;
}

function setState(state: ConnectionState, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

// graphql-ws sends this very object again whenever it subscribes anew after a reconnect:
// keeping `after` current makes the server replay only what this page has not seen.
const variables = { category: config.category, actor: config.actor, after: config.after };
let failedAttempts = 0;

const client = createClient({
  url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${config.graphqlPath}`,
  lazy: true,
  retryAttempts: Number.POSITIVE_INFINITY,
  // Any close or network error is worth another try: the server may be restarting.
  shouldRetry: () => true,
  retryWait: async () => {
    const wait = backoffMs(failedAttempts++);
    const until = Date.now() + wait;
    const tick = () => {
      const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
      setState(failedAttempts > 6 ? 'offline' : 'reconnecting', `Reconnecting in ${seconds} s`);
    };
    tick();
    const timer = setInterval(tick, 250);
    await new Promise((resolve) => setTimeout(resolve, wait));
    clearInterval(timer);
  },
  on: {
    connecting: (isRetry) =>
      setState(isRetry ? 'reconnecting' : 'connecting', isRetry ? 'Reconnecting…' : 'Connecting…'),
    connected: () => {
      failedAttempts = 0;
      setState('live', 'Live');
    },
  },
});

client.subscribe<{ trendPublished: LiveItem }>(
  { query: SUBSCRIPTION, variables },
  {
    next: (result) => {
      const item = result.data?.trendPublished;
      if (!item) return;
      show(item);
      variables.after = item.cursor;
    },
    error: (error) =>
      setState('offline', `Disconnected: ${error instanceof Error ? error.message : 'the server refused'}`),
    complete: () => setState('offline', 'Disconnected'),
  },
);

setInterval(() => {
  for (const added of list.querySelectorAll<HTMLElement>('[data-added]')) {
    added.textContent = `added ${ago(added.dataset.added!)}`;
  }
}, 30_000);
