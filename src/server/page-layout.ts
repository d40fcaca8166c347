// The frame of the server's HTML pages (the live page, article pages, their errors): one
// stylesheet inline, system fonts, nothing fetched from anywhere but this server.

import { escapeHtml } from '../feed/html.ts';

export const SITE_NAME = 'Belarus foreign-policy archive';

/** Articles' dates are Minsk time at the source; pages show them so, as the site did. */
export const SITE_TIME_ZONE = 'Europe/Minsk';

const STYLES = `
:root {
  --ink: #1b2430; --muted: #5d6b7c; --faint: #8a96a5; --line: #e3e7ec; --paper: #ffffff;
  --ground: #f4f6f8; --accent: #1f5fa8; --accent-soft: #e8f0fa; --ok: #1c8a4c; --wait: #b7791f;
  --down: #c0392b; --fresh: #fff6d8;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--ground); color: var(--ink);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.site { background: var(--paper); border-bottom: 1px solid var(--line); }
.site-inner { max-width: 820px; margin: 0 auto; padding: 14px 20px; display: flex; flex-wrap: wrap; align-items: center;
  gap: 8px 16px; }
.brand { display: flex; align-items: center; gap: 10px; color: var(--ink); font-weight: 650; letter-spacing: -0.01em; }
.brand:hover { text-decoration: none; }
.brand-mark { width: 28px; height: 28px; border-radius: 7px; background: linear-gradient(135deg, #1f5fa8, #3b8ad9);
  color: #fff; display: grid; place-items: center; font-size: 14px; font-weight: 700; }
.site nav { margin-left: auto; display: flex; gap: 18px; font-size: 15px; }
.site nav a { color: var(--muted); }
.site nav a[aria-current="page"] { color: var(--ink); font-weight: 600; }
main { max-width: 820px; margin: 0 auto; padding: 28px 20px 56px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0; letter-spacing: -0.015em; }
.lede { color: var(--muted); margin: 6px 0 0; }
.page-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
.status { display: inline-flex; align-items: center; gap: 8px; padding: 6px 12px; border-radius: 999px;
  background: var(--paper); border: 1px solid var(--line); font-size: 14px; color: var(--muted); white-space: nowrap; }
.status::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: var(--faint); }
.status[data-state="live"]::before { background: var(--ok); box-shadow: 0 0 0 3px rgba(28, 138, 76, 0.18); }
.status[data-state="connecting"]::before, .status[data-state="reconnecting"]::before { background: var(--wait); }
.status[data-state="offline"]::before { background: var(--down); }
.toolbar { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap;
  margin: 22px 0 18px; }
.tabs { display: flex; gap: 8px; flex-wrap: wrap; }
.tab { padding: 5px 12px; border-radius: 999px; border: 1px solid var(--line); background: var(--paper);
  color: var(--muted); font-size: 14px; }
.tab:hover { text-decoration: none; border-color: #c9d2dc; color: var(--ink); }
.tab[aria-current="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.chip-filter { display: inline-flex; align-items: center; gap: 6px; padding: 5px 8px 5px 12px; border-radius: 999px;
  background: var(--accent-soft); color: var(--accent); font-size: 14px; }
.chip-filter a { color: var(--accent); font-weight: 700; padding: 0 4px; }
.subscribe { display: flex; gap: 12px; align-items: center; font-size: 14px; color: var(--muted); }
.subscribe a { display: inline-flex; align-items: center; gap: 5px; }
.subscribe a::before { content: ""; width: 10px; height: 10px; border-radius: 2px;
  background: radial-gradient(circle at 20% 80%, currentColor 18%, transparent 20%),
    radial-gradient(circle at 20% 80%, transparent 38%, currentColor 40%, currentColor 52%, transparent 54%),
    radial-gradient(circle at 20% 80%, transparent 66%, currentColor 68%, currentColor 80%, transparent 82%); }
.items { list-style: none; margin: 0; padding: 0; display: grid; gap: 14px; }
.item { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px;
  transition: background-color 2.5s ease, box-shadow 0.2s ease; }
.item:hover { box-shadow: 0 2px 10px rgba(20, 35, 60, 0.06); }
.item.fresh { background: var(--fresh); }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; font-size: 13px; color: var(--faint); }
.badge { display: inline-block; padding: 1px 9px; border-radius: 6px; background: var(--accent-soft);
  color: var(--accent); font-weight: 600; font-size: 12px; letter-spacing: 0.02em; text-transform: uppercase; }
.item h2 { font-size: 19px; line-height: 1.35; margin: 8px 0 6px; letter-spacing: -0.01em; }
.item h2 a { color: var(--ink); }
.item p.lead { margin: 0; color: #3a4655; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical;
  overflow: hidden; }
.actors { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 12px; }
.actor { font-size: 13px; padding: 2px 9px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
.actor:hover { text-decoration: none; color: var(--ink); border-color: #c9d2dc; }
.credit { font-size: 12px; color: var(--faint); margin: 10px 0 0; }
.empty { background: var(--paper); border: 1px dashed #cfd6de; border-radius: 12px; padding: 36px 20px;
  text-align: center; color: var(--muted); }
.count { font-size: 13px; color: var(--faint); margin: 18px 2px 0; }
article.full { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: 28px 32px; }
article.full h1 { margin: 10px 0 12px; }
article.full .body p { margin: 0 0 1em; }
.notice { background: var(--accent-soft); color: var(--accent); border-radius: 8px; padding: 10px 14px; font-size: 14px; }
footer { max-width: 820px; margin: 0 auto; padding: 0 20px 40px; font-size: 13px; color: var(--faint); }
@media (max-width: 560px) {
  h1 { font-size: 23px; } .item { padding: 16px; } article.full { padding: 20px; }
  .site nav { margin-left: 0; width: 100%; }
}
`;

/** The brand mark as an inline icon: browsers ask for /favicon.ico otherwise. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231f5fa8'/%3E%3Ctext x='16' y='21' font-family='sans-serif' font-size='13' font-weight='700' fill='white' text-anchor='middle'%3EBY%3C/text%3E%3C/svg%3E";

export interface PageOptions {
  title: string;
  /** Already-escaped HTML for the page's main element. */
  main: string;
  /** Already-escaped HTML for the head (alternate links, scripts). */
  head?: string;
  current?: 'live' | 'article';
}

export function renderPage({ title, main, head = '', current }: PageOptions): string {
  const liveLink = current === 'live' ? '<a href="/live" aria-current="page">Live</a>' : '<a href="/live">Live</a>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${FAVICON}">
<style>${STYLES}</style>
${head}
</head>
<body>
<header class="site"><div class="site-inner">
<a class="brand" href="/live"><span class="brand-mark" aria-hidden="true">BY</span>${escapeHtml(SITE_NAME)}</a>
<nav>${liveLink}<a href="/feeds/all.rss">Feeds</a><a href="/graphql">GraphQL API</a></nav>
</div></header>
<main>
${main}
</main>
<footer>Analyses of Belarusian foreign and security policy. Follow them here, by RSS, Atom or JSON Feed, over GraphQL or by webhook.</footer>
</body>
</html>
`;
}

/** A date as the pages show it: "15 May 2017, 11:57" in Minsk time. */
export function formatSiteDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: SITE_TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}
