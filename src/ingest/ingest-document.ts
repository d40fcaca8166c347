// Stores one parsed page: its article, its excerpts as stub articles linked in page
// order, its actors and mentions, its source document, and a trend event when an article
// becomes available in full for the first time. One transaction per document: a page is
// either fully stored or not at all.
//
// Parsing, actor resolution and slugs happen here; the writes happen in one statement,
// the SQL function archive_ingest_page (its migration documents the rules), because the
// forty-odd statements of doing it through the ORM cost about a millisecond each.

import { createHash } from 'node:crypto';
import { assertBeforeDeadline, cancelStatementsAtDeadline, DeadlineExceededError } from '../db/deadline.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import {
  type ActorMention,
  candidatePersonKeys,
  findPageActors,
  gazetteerSurfaces,
  type KnownPerson,
  readPageText,
} from './actors.ts';
import { type ArchiveChange, mergeArchiveChanges } from './archive-change.ts';
import { refreshComputedLinks } from './computed-links.ts';
import { PARSER_VERSION, type ParsedArticle, parseDocument, type TextCorrection } from './parse-document.ts';
import { countWords, normalizeTitle, PARAGRAPH_SEPARATOR, slugify } from './text.ts';

export type IngestOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface IngestResult {
  outcome: IngestOutcome;
  articleId: number;
  /** Sequence of the trend event this ingest published, if any (for the live feed). */
  trendSequence: number | null;
  warnings: string[];
  /** What the write changed (for response caches); null when nothing was written. */
  change: ArchiveChange | null;
}

export interface IngestOptions {
  /**
   * 'now' (the default) recomputes the article's computed related links in the document's
   * transaction. 'deferred' leaves that to the caller, which refreshes a whole batch at
   * once (`refreshComputedLinksOf`): bulk ingestion, where recomputing the neighbourhood
   * of every page as it arrives would cost more than storing the pages.
   */
  computedLinks?: 'now' | 'deferred';
  /**
   * Epoch ms after which the document must not be stored: the ingest is cancelled and
   * rolled back, and rejects with DeadlineExceededError (the mutation's execution timeout).
   */
  deadline?: number;
}

const TRANSACTION_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 3;

/** A row of archive_ingest_page_reporting. */
interface StoredPageRow {
  outcome: IngestOutcome;
  article_id: number;
  trend_sequence: number | null;
  revision: number;
  touched_article_ids: number[];
  touched_actor_ids: number[];
  touched_category_ids: number[];
  touched_link_ids: number[];
}

function identityOf(article: ParsedArticle): string {
  return `${normalizeTitle(article.title)}|${article.publishedAt.toISOString()}`;
}

function textOf(article: ParsedArticle): string[] {
  return [article.title, ...article.paragraphs];
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function categorySlugOf(name: string | null): string | null {
  return name ? slugify(name) || null : null;
}

/** What archive_ingest_page receives, as JSON: its migration reads exactly these names. */
interface PagePayload {
  sha256: string;
  sourceName: string;
  parserVersion: number;
  /** Identities of the page's articles, sorted: locked in this order. */
  identities: string[];
  categories: { slug: string; name: string }[];
  actors: { key: string; name: string; kind: ActorMention['kind']; slug: string; fallbackSlug: string }[];
  aliases: { surface: string; slug: string; actorKey: string }[];
  article: ArticlePayload;
  excerpts: ArticlePayload[];
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

/** An article as archive_ingest_page stores it; `slugs` are tried in order until one is free. */
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
  /** Stored as Article.corrections (archive_store_article, migration 20261201110000). */
  corrections: TextCorrection[];
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
      `${base}-${sha256Hex(Buffer.from(identityOf(article))).slice(0, 8)}`,
    ],
    mentions: mentions.map((mention) => ({ actorKey: mention.key, count: mention.count })),
    corrections: article.corrections,
  };
}

/** The actors of a page (one entry per key, first seen first) and the surface forms they claim. */
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
    aliases: [...aliases].map(([surface, actorKey]) => ({ surface, slug: slugify(surface), actorKey })),
  };
}

/** Whether the database reports a deadlock, serialization failure or unique-key race, which a retry resolves. */
function isRetryable(error: unknown): boolean {
  const { code, meta } = error as {
    code?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  };
  if (code === 'P2034' || code === 'P2002') return true;
  const sqlState = meta?.driverAdapterError?.cause?.originalCode;
  return sqlState === '40P01' || sqlState === '40001' || sqlState === '23505';
}

/**
 * Ingests one document. Rejects with DocumentRejectedError (nothing written) when the
 * page cannot be parsed. The same bytes again return UNCHANGED without writing.
 */
export async function ingestDocument(
  prisma: PrismaClient,
  input: string | Uint8Array,
  sourceName: string,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const parsed = parseDocument(input, sourceName);
  const sha256 = sha256Hex(bytes);

  const [seen] = await prisma.$queryRaw<{ articleId: number }[]>`
    SELECT "articleId" FROM "SourceDocument" WHERE sha256 = ${sha256} AND "parserVersion" = ${PARSER_VERSION}`;
  if (seen) {
    return {
      outcome: 'UNCHANGED',
      articleId: seen.articleId,
      trendSequence: null,
      warnings: parsed.warnings,
      change: null,
    };
  }

  // Excerpts of the page itself (a page listing itself as similar) are not links.
  const mainIdentity = identityOf(parsed);
  const excerpts = [
    ...new Map(parsed.related.filter((e) => identityOf(e) !== mainIdentity).map((e) => [identityOf(e), e])).values(),
  ];
  const pageText = readPageText([parsed, ...excerpts].map(textOf));
  const knownPeople = await findKnownPeople(prisma, candidatePersonKeys(pageText));
  const found = findPageActors(pageText, knownPeople);
  const [mainMentions, ...excerptMentions] = found.articles as [ActorMention[], ...ActorMention[][]];
  const warnings = [...parsed.warnings, ...found.warnings];

  const payload: PagePayload = {
    sha256,
    sourceName,
    parserVersion: PARSER_VERSION,
    identities: [...new Set([mainIdentity, ...excerpts.map(identityOf)])].sort(),
    categories: categoriesOf([parsed, ...excerpts]),
    ...actorsPayload([...mainMentions, ...excerptMentions.flat()]),
    article: articlePayload(parsed, mainMentions),
    excerpts: excerpts.map((excerpt, n) => articlePayload(excerpt, excerptMentions[n]!)),
  };
  const page = JSON.stringify(payload);
  const store = async (db: Pick<PrismaClient, '$queryRaw'>): Promise<IngestResult> => {
    // archive_ingest_page, plus the revision and the rows it touched (see the
    // archive_revision migration).
    const [row] = await db.$queryRaw<StoredPageRow[]>`SELECT * FROM archive_ingest_page_reporting(${page}::jsonb)`;
    return {
      outcome: row!.outcome,
      articleId: row!.article_id,
      trendSequence: row!.trend_sequence,
      warnings,
      change: {
        revisions: [row!.revision],
        articleIds: row!.touched_article_ids,
        actorIds: row!.touched_actor_ids,
        categoryIds: row!.touched_category_ids,
        linkIds: row!.touched_link_ids,
      },
    };
  };

  const { deadline } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      // Deferred: the statement is the document's whole transaction.
      if (options.computedLinks === 'deferred') return await store(prisma);
      const timeout = Math.min(
        TRANSACTION_TIMEOUT_MS,
        deadline === undefined ? Infinity : assertBeforeDeadline(deadline),
      );
      return await prisma.$transaction(
        async (tx) => {
          if (deadline !== undefined) await cancelStatementsAtDeadline(tx, deadline);
          const result = await store(tx);
          const refreshed = await refreshComputedLinks(tx, [result.articleId]);
          if (deadline !== undefined) assertBeforeDeadline(deadline); // else it commits
          const linksChange = { revisions: [], actorIds: [], categoryIds: [], ...refreshed };
          return { ...result, change: mergeArchiveChanges(result.change!, linksChange) };
        },
        { timeout, maxWait: timeout },
      );
    } catch (error) {
      // Whatever failed once the deadline had passed (a cancelled statement, Prisma's own
      // transaction timeout) was rolled back: it is the deadline's doing.
      if (deadline !== undefined && Date.now() >= deadline && !(error instanceof DeadlineExceededError)) {
        throw new DeadlineExceededError('The deadline passed; the ingest was cancelled and nothing was stored.', {
          cause: error,
        });
      }
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

async function findKnownPeople(prisma: PrismaClient, keys: readonly string[]): Promise<KnownPerson[]> {
  if (keys.length === 0) return [];
  return prisma.$queryRaw<KnownPerson[]>`
    SELECT a.key, a.name, coalesce(array_agg(al.surface ORDER BY al.id) FILTER (WHERE al.id IS NOT NULL), '{}') AS surfaces
    FROM "Actor" a LEFT JOIN "ActorAlias" al ON al."actorId" = a.id
    WHERE a.kind = 'PERSON' AND a.key = ANY(${keys})
    GROUP BY a.id ORDER BY a.id`;
}
