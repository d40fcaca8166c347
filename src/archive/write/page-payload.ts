// A page as the archive stores it: parsed, its excerpts deduplicated, its actors found,
// its slugs proposed. Everything here is plain TypeScript; archive_ingest_batch
// (archive-write.sql) decides what to write from it.

import { createHash } from 'node:crypto';
import {
  type ActorMention,
  candidatePersonKeys,
  findPageActors,
  gazetteerSurfaces,
  type KnownPerson,
  type PageText,
  readPageText,
} from '../../ingest/actors.ts';
import {
  PARSER_VERSION,
  type ParsedArticle,
  type ParsedDocument,
  parseDocument,
  type TextCorrection,
} from '../../ingest/parse-document.ts';
import { countWords, normalizeTitle, PARAGRAPH_SEPARATOR, slugify } from '../../ingest/text.ts';

/** A page, parsed; its actors are found later, against the people the archive knows by then. */
export interface ParsedPage {
  sourceName: string;
  sha256: string;
  parsed: ParsedDocument;
  /** The excerpts that are links: one per article, never the page's own article. */
  excerpts: ParsedArticle[];
  text: PageText;
  /** Keys of the stored people the page may name (see candidatePersonKeys). */
  candidateKeys: string[];
}

/** What archive_ingest_batch reads for one page (its names are the SQL's). */
export interface PagePayload {
  sha256: string;
  sourceName: string;
  parserVersion: number;
  categories: { slug: string; name: string }[];
  actors: { key: string; name: string; kind: ActorMention['kind']; slug: string; fallbackSlug: string }[];
  aliases: { surface: string; slug: string; actorKey: string }[];
  article: ArticlePayload;
  excerpts: ArticlePayload[];
}

/** An article as archive_ingest_batch stores it; `slugs` are tried in order until one is free. */
interface ArticlePayload {
  title: string;
  normalizedTitle: string;
  publishedAt: string;
  categorySlug: string | null;
  imageCredit: string | null;
  paragraphs: string[];
  body: string;
  wordCount: number;
  slugs: string[];
  mentions: { actorKey: string; count: number }[];
  /** Stored as Article.corrections. */
  corrections: TextCorrection[];
}

/** An article's identity in the archive: its normalised title and publication instant. */
export function identityOf(article: { normalizedTitle: string; publishedAt: string }): string {
  return `${article.normalizedTitle}|${article.publishedAt}`;
}

function identityOfParsed(article: ParsedArticle): string {
  return identityOf({ normalizedTitle: normalizeTitle(article.title), publishedAt: article.publishedAt.toISOString() });
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses a page; throws DocumentRejectedError when it cannot be read. */
export function parsePage(input: string | Uint8Array, sourceName: string): ParsedPage {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const parsed = parseDocument(input, sourceName);
  // Excerpts of the page itself (a page listing itself as similar) are not links.
  const own = identityOfParsed(parsed);
  const excerpts = [
    ...new Map(parsed.related.filter((e) => identityOfParsed(e) !== own).map((e) => [identityOfParsed(e), e])).values(),
  ];
  const text = readPageText([parsed, ...excerpts].map((article) => [article.title, ...article.paragraphs]));
  return { sourceName, sha256: sha256Hex(bytes), parsed, excerpts, text, candidateKeys: candidatePersonKeys(text) };
}

/** The page's payload, its actors found among the people given (those of its candidate keys). */
export function pagePayload(
  page: ParsedPage,
  knownPeople: readonly KnownPerson[],
): { payload: PagePayload; warnings: string[] } {
  const found = findPageActors(page.text, knownPeople);
  const [ownMentions, ...excerptMentions] = found.articles as [ActorMention[], ...ActorMention[][]];
  const payload: PagePayload = {
    sha256: page.sha256,
    sourceName: page.sourceName,
    parserVersion: PARSER_VERSION,
    categories: categoriesOf([page.parsed, ...page.excerpts]),
    ...actorsPayload([...ownMentions, ...excerptMentions.flat()]),
    article: articlePayload(page.parsed, ownMentions),
    excerpts: page.excerpts.map((excerpt, n) => articlePayload(excerpt, excerptMentions[n]!)),
  };
  return { payload, warnings: [...page.parsed.warnings, ...found.warnings] };
}

function categorySlugOf(name: string | null): string | null {
  return name ? slugify(name) || null : null;
}

/** The categories a page names, one per slug (a category whose name slugs to nothing is none). */
function categoriesOf(articles: readonly ParsedArticle[]): PagePayload['categories'] {
  const bySlug = new Map<string, string>();
  for (const { category } of articles) {
    const slug = categorySlugOf(category);
    if (slug !== null) bySlug.set(slug, category!);
  }
  return [...bySlug].map(([slug, name]) => ({ slug, name }));
}

function articlePayload(article: ParsedArticle, mentions: readonly ActorMention[]): ArticlePayload {
  const iso = article.publishedAt.toISOString();
  const base = `${slugify(article.title, 70) || 'article'}-${iso.slice(0, 10)}`;
  return {
    title: article.title,
    normalizedTitle: normalizeTitle(article.title),
    publishedAt: iso,
    categorySlug: categorySlugOf(article.category),
    imageCredit: article.imageCredit,
    paragraphs: article.paragraphs,
    body: article.paragraphs.join(PARAGRAPH_SEPARATOR),
    wordCount: countWords(article.paragraphs),
    slugs: [
      base,
      `${base}-${iso.slice(11, 16).replace(':', '')}`,
      `${base}-${sha256Hex(Buffer.from(identityOfParsed(article))).slice(0, 8)}`,
    ],
    mentions: mentions.map((mention) => ({ actorKey: mention.key, count: mention.count })),
    corrections: article.corrections,
  };
}

/**
 * The actors of a page (one entry per key, first seen first) and the surface forms they
 * claim, sorted by code unit: the order archive_ingest_batch stores them in, and so the
 * order a later read of a person's aliases returns (known-people.ts relies on it).
 */
function actorsPayload(mentions: readonly ActorMention[]): Pick<PagePayload, 'actors' | 'aliases'> {
  const byKey = new Map<string, ActorMention>();
  for (const mention of mentions) {
    const seen = byKey.get(mention.key);
    byKey.set(mention.key, seen ? { ...seen, surfaces: [...seen.surfaces, ...mention.surfaces] } : mention);
  }
  const actors = [...byKey.values()].map(({ key, name, kind }) => {
    const slug = slugify(name) || 'actor';
    // Two actors whose names slug alike (rare): the later one carries its key.
    return { key, name, kind, slug, fallbackSlug: `${slug}-${slugify(key)}` };
  });
  const aliases = new Map<string, string>();
  for (const [key, mention] of byKey) {
    const surfaces = [mention.name, ...gazetteerSurfaces(key), ...mention.surfaces];
    // A person's surname alone is a known form of their name too ("Lukashenko").
    if (mention.kind === 'PERSON') surfaces.push(...surfaces.map((surface) => surface.split(' ').at(-1)!));
    // A surface form belongs to the first actor that claimed it.
    for (const surface of surfaces) if (!aliases.has(surface)) aliases.set(surface, key);
  }
  return {
    actors,
    aliases: [...aliases]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([surface, actorKey]) => ({ surface, slug: slugify(surface), actorKey })),
  };
}
