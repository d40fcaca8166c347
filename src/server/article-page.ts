// GET /articles/<slug>: an article's canonical page, the address feeds and webhooks link
// to. A plain HTML page with the text, its date, category, actors and image credit.

import { articlePageUrl, feedUrl, livePageUrl } from '../feed/addresses.ts';
import { escapeHtml, paragraphsHtml } from '../feed/html.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { respondWithValidators } from './conditional-get.ts';
import { formatSiteDate, renderPage, SITE_NAME } from './page-layout.ts';

const ARTICLE_PATH = /^\/articles\/([^/]+)$/;
const ARTICLE_MAX_AGE_SECONDS = 300;
/** Actors listed under an article. */
const ARTICLE_ACTORS = 12;

/** The slug an article page's path names, or null when the path is no article page's. */
export function parseArticlePath(pathname: string): string | null {
  const slug = ARTICLE_PATH.exec(pathname)?.[1];
  if (slug === undefined) return null;
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

function notFoundPage(slug: string): Response {
  const html = renderPage({
    title: `Not found · ${SITE_NAME}`,
    main: `<h1>No such article</h1><p class="lede">There is no article at “${escapeHtml(slug)}”. The <a href="/live">live page</a> lists the latest ones.</p>`,
  });
  return new Response(html, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export async function serveArticlePage(
  prisma: PrismaClient,
  request: Request,
  slug: string,
  base: string,
): Promise<Response> {
  const article = await prisma.article.findUnique({
    where: { slug },
    select: {
      title: true,
      publishedAt: true,
      updatedAt: true,
      imageCredit: true,
      paragraphs: true,
      isStub: true,
      category: { select: { id: true, slug: true, name: true } },
      mentions: {
        select: { actor: { select: { id: true, slug: true, name: true } } },
        orderBy: [{ count: 'desc' }, { actorId: 'asc' }],
        take: ARTICLE_ACTORS,
      },
    },
  });
  if (!article) return notFoundPage(slug);
  const category = article.category;
  const actors = article.mentions.map((mention) => mention.actor);
  const everything = { category: null, actor: null };
  const main = `<article class="full">
<div class="meta">${category ? `<a class="badge" href="${escapeHtml(livePageUrl('', { category, actor: null }))}">${escapeHtml(category.name)}</a>` : ''}<time datetime="${article.publishedAt.toISOString()}">${escapeHtml(formatSiteDate(article.publishedAt))} (Minsk)</time></div>
<h1>${escapeHtml(article.title)}</h1>
${article.isStub ? '<p class="notice">Only an excerpt of this article is known: it was quoted under “Similar articles” on another page.</p>' : ''}
<div class="body">
${paragraphsHtml(article.paragraphs)}
</div>
${article.imageCredit ? `<p class="credit">Photo: ${escapeHtml(article.imageCredit)}</p>` : ''}
${actors.length ? `<div class="actors">${actors.map((actor) => `<a class="actor" href="${escapeHtml(livePageUrl('', { category: null, actor }))}">${escapeHtml(actor.name)}</a>`).join('')}</div>` : ''}
</article>
<p class="count">Follow new analyses on the <a href="/live">live page</a> or by <a href="${escapeHtml(feedUrl('', everything, 'rss'))}">RSS</a>, <a href="${escapeHtml(feedUrl('', everything, 'atom'))}">Atom</a> or <a href="${escapeHtml(feedUrl('', everything, 'json'))}">JSON Feed</a>.</p>`;
  const html = renderPage({
    title: `${article.title} · ${SITE_NAME}`,
    head: `<link rel="canonical" href="${escapeHtml(articlePageUrl(base, slug))}">`,
    main,
    current: 'article',
  });
  return respondWithValidators(request, {
    body: html,
    contentType: 'text/html; charset=utf-8',
    lastModified: article.updatedAt,
    cacheControl: `public, max-age=${ARTICLE_MAX_AGE_SECONDS}`,
  });
}
