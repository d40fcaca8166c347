// Stores one parsed page: its article, its excerpts as stub articles linked in page
// order, its actors and mentions, its source document, and a trend event when an article
// becomes available in full for the first time. One transaction per document: a page is
// either fully stored or not at all.

import { createHash } from 'node:crypto';
import { type Prisma, type PrismaClient, ActorKind } from '../generated/prisma/client.ts';
import { lockRelatedLinks, recountActors, refreshComputedLinks } from './computed-links.ts';
import { type ActorMention, candidatePersonKeys, findActors, gazetteerSurfaces, type KnownPerson } from './actors.ts';
import { PARSER_VERSION, type ParsedArticle, parseDocument } from './parse-document.ts';
import { countWords, normalizeTitle, PARAGRAPH_SEPARATOR, slugify } from './text.ts';

export type IngestOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface IngestResult {
  outcome: IngestOutcome;
  articleId: number;
  /** Sequence of the trend event this ingest published, if any (for the live feed). */
  trendSequence: number | null;
  warnings: string[];
}

type Tx = Prisma.TransactionClient;

/** Serialises the assignment of trend sequences, so they stay gap-free. */
const TREND_SEQUENCE_LOCK = 7_301_001;
const TRANSACTION_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 3;

function identityOf(article: ParsedArticle): string {
  return `${normalizeTitle(article.title)}|${article.publishedAt.toISOString()}`;
}

function textOf(article: ParsedArticle): string[] {
  return [article.title, ...article.paragraphs];
}

function articleData(article: ParsedArticle, categoryId: number | null, isStub: boolean) {
  return {
    title: article.title,
    normalizedTitle: normalizeTitle(article.title),
    publishedAt: article.publishedAt,
    categoryId,
    imageCredit: article.imageCredit,
    paragraphs: article.paragraphs,
    body: article.paragraphs.join(PARAGRAPH_SEPARATOR),
    wordCount: countWords(article.paragraphs),
    isStub,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Locks are taken in one global order (sorted), so concurrent ingests cannot deadlock. */
async function lockIdentities(tx: Tx, identities: readonly string[]): Promise<void> {
  for (const identity of [...new Set(identities)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${identity}, 0))`;
  }
}

async function ensureCategories(tx: Tx, names: readonly (string | null)[]): Promise<Map<string, number>> {
  const bySlug = new Map<string, string>();
  for (const name of names) if (name && slugify(name)) bySlug.set(slugify(name), name);
  if (bySlug.size === 0) return new Map();
  const slugs = [...bySlug.keys()].sort();
  await tx.category.createMany({ data: slugs.map((slug) => ({ slug, name: bySlug.get(slug)! })), skipDuplicates: true });
  const rows = await tx.category.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  return new Map(rows.map((row) => [row.slug, row.id]));
}

function categoryIdOf(categories: Map<string, number>, name: string | null): number | null {
  return name ? (categories.get(slugify(name)) ?? null) : null;
}

/** A slug no other article holds: title and date, then the time if that is taken. */
async function freeArticleSlug(tx: Tx, article: ParsedArticle): Promise<string> {
  const iso = article.publishedAt.toISOString();
  const base = `${slugify(article.title, 70) || 'article'}-${iso.slice(0, 10)}`;
  for (const candidate of [base, `${base}-${iso.slice(11, 16).replace(':', '')}`]) {
    if (!(await tx.article.findUnique({ where: { slug: candidate }, select: { id: true } }))) return candidate;
  }
  return `${base}-${sha256Hex(Buffer.from(identityOf(article))).slice(0, 8)}`;
}

async function findArticle(tx: Tx, article: ParsedArticle) {
  return tx.article.findUnique({
    where: { normalizedTitle_publishedAt: { normalizedTitle: normalizeTitle(article.title), publishedAt: article.publishedAt } },
  });
}

/** Creates missing actors and their aliases; returns actor ids by resolution key. */
async function ensureActors(tx: Tx, mentions: readonly ActorMention[]): Promise<Map<string, number>> {
  const byKey = new Map<string, ActorMention>();
  for (const mention of mentions) {
    const seen = byKey.get(mention.key);
    byKey.set(mention.key, seen ? { ...seen, surfaces: [...seen.surfaces, ...mention.surfaces] } : mention);
  }
  if (byKey.size === 0) return new Map();
  const keys = [...byKey.keys()].sort();
  const existing = await tx.actor.findMany({ where: { key: { in: keys } }, select: { id: true, key: true, name: true } });
  const existingKeys = new Set(existing.map((actor) => actor.key));
  const missing = keys.filter((key) => !existingKeys.has(key));
  if (missing.length) {
    const takenSlugs = new Set(
      (await tx.actor.findMany({ where: { slug: { in: missing.map((key) => slugify(byKey.get(key)!.name)) } }, select: { slug: true } })).map(
        (actor) => actor.slug,
      ),
    );
    await tx.actor.createMany({
      data: missing.map((key) => {
        const { name, kind } = byKey.get(key)!;
        const slug = slugify(name) || 'actor';
        // Two actors whose names slug alike (rare): the later one carries its key.
        return { key, name, kind: ActorKind[kind], slug: takenSlugs.has(slug) ? `${slug}-${slugify(key)}` : slug };
      }),
      skipDuplicates: true,
    });
  }
  // A person first seen by surname alone gets their full name once a page gives it.
  for (const actor of existing) {
    const mention = byKey.get(actor.key)!;
    if (mention.kind === 'PERSON' && mention.name !== actor.name && mention.name.split(' ').length > actor.name.split(' ').length) {
      await tx.actor.update({ where: { id: actor.id }, data: { name: mention.name } });
    }
  }
  const rows = await tx.actor.findMany({ where: { key: { in: keys } }, select: { id: true, key: true } });
  const ids = new Map(rows.map((row) => [row.key, row.id]));
  const aliases = new Map<string, number>();
  for (const [key, mention] of byKey) {
    const surfaces = [mention.name, ...gazetteerSurfaces(key), ...mention.surfaces];
    // A person's surname alone is a known form of their name too ("Lukashenko").
    if (mention.kind === 'PERSON') surfaces.push(...surfaces.map((surface) => surface.split(' ').at(-1)!));
    for (const surface of surfaces) {
      if (!aliases.has(surface)) aliases.set(surface, ids.get(key)!);
    }
  }
  // A surface form belongs to the first actor that claimed it (unique), hence skipDuplicates.
  await tx.actorAlias.createMany({
    data: [...aliases.keys()].sort().map((surface) => ({ surface, slug: slugify(surface), actorId: aliases.get(surface)! })),
    skipDuplicates: true,
  });
  return ids;
}

async function replaceMentions(tx: Tx, articleId: number, mentions: readonly ActorMention[], actorIds: Map<string, number>) {
  await tx.mention.deleteMany({ where: { articleId } });
  if (mentions.length) {
    await tx.mention.createMany({
      data: mentions.map((mention) => ({ articleId, actorId: actorIds.get(mention.key)!, count: mention.count })),
    });
  }
}

async function appendTrendEvent(tx: Tx, articleId: number): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TREND_SEQUENCE_LOCK})`;
  const last = await tx.trendEvent.aggregate({ _max: { sequence: true } });
  const sequence = (last._max.sequence ?? 0) + 1;
  await tx.trendEvent.create({ data: { sequence, articleId } });
  return sequence;
}

function sameContent(stored: { title: string; categoryId: number | null; imageCredit: string | null; paragraphs: string[] }, next: ReturnType<typeof articleData>) {
  return (
    stored.title === next.title &&
    stored.categoryId === next.categoryId &&
    stored.imageCredit === next.imageCredit &&
    stored.paragraphs.length === next.paragraphs.length &&
    stored.paragraphs.every((paragraph, i) => paragraph === next.paragraphs[i])
  );
}

/** Whether Prisma reports a deadlock or write conflict, which a retry resolves. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'P2034' || code === 'P2002';
}

/**
 * Ingests one document. Rejects with DocumentRejectedError (nothing written) when the
 * page cannot be parsed. The same bytes again return UNCHANGED without writing.
 */
export async function ingestDocument(prisma: PrismaClient, input: string | Uint8Array, sourceName: string): Promise<IngestResult> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const parsed = parseDocument(input, sourceName);
  const sha256 = sha256Hex(bytes);

  const seen = await prisma.sourceDocument.findUnique({ where: { sha256 }, select: { articleId: true, parserVersion: true } });
  if (seen?.parserVersion === PARSER_VERSION) {
    return { outcome: 'UNCHANGED', articleId: seen.articleId, trendSequence: null, warnings: parsed.warnings };
  }

  // Excerpts of the page itself (a page listing itself as similar) are not links.
  const mainIdentity = identityOf(parsed);
  const excerpts = [...new Map(parsed.related.filter((e) => identityOf(e) !== mainIdentity).map((e) => [identityOf(e), e])).values()];
  const knownPeople = await findKnownPeople(prisma, [parsed, ...excerpts].flatMap(textOf));
  const mainMentions = findActors(textOf(parsed), knownPeople);
  const excerptMentions = excerpts.map((excerpt) => findActors(textOf(excerpt), knownPeople));

  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(
        async (tx) => {
          await lockIdentities(tx, [mainIdentity, ...excerpts.map(identityOf)]);
          // A concurrent ingest of the same bytes may have committed while we waited.
          const stored = await tx.sourceDocument.findUnique({ where: { sha256 } });
          if (stored?.parserVersion === PARSER_VERSION) {
            return { outcome: 'UNCHANGED' as const, articleId: stored.articleId, trendSequence: null, warnings: parsed.warnings };
          }

          const categories = await ensureCategories(tx, [parsed.category, ...excerpts.map((e) => e.category)]);
          const actorIds = await ensureActors(tx, [...mainMentions, ...excerptMentions.flat()]);

          const data = articleData(parsed, categoryIdOf(categories, parsed.category), false);
          const existing = await findArticle(tx, parsed);
          let outcome: IngestOutcome;
          let articleId: number;
          if (!existing) {
            articleId = (await tx.article.create({ data: { ...data, slug: await freeArticleSlug(tx, parsed) } })).id;
            outcome = 'CREATED';
          } else {
            articleId = existing.id;
            outcome = existing.isStub || !sameContent(existing, data) ? 'UPDATED' : 'UNCHANGED';
            if (outcome === 'UPDATED') await tx.article.update({ where: { id: articleId }, data });
          }
          // Only full articles count towards an actor's rarity; a stub's mentions did not.
          const actorsBefore = existing && !existing.isStub ? (await tx.mention.findMany({ where: { articleId }, select: { actorId: true } })).map((m) => m.actorId) : [];
          await replaceMentions(tx, articleId, mainMentions, actorIds);

          const targetIds: number[] = [];
          for (const [n, excerpt] of excerpts.entries()) {
            targetIds.push(await storeExcerpt(tx, excerpt, categoryIdOf(categories, excerpt.category), excerptMentions[n]!, actorIds));
          }
          // Under the related-links lock: concurrent ingests naming the same actors would
          // otherwise deadlock on their counters.
          await lockRelatedLinks(tx);
          await recountActors(tx, actorsBefore, mainMentions.map((mention) => actorIds.get(mention.key)!));
          if (await replaceEditorialLinks(tx, articleId, targetIds)) outcome = outcome === 'UNCHANGED' ? 'UPDATED' : outcome;
          const firstTimeInFull = !existing || existing.isStub;
          // Full articles = published trend items (one each, gap-free), this one included.
          const published = (await tx.trendEvent.aggregate({ _max: { sequence: true } }))._max.sequence ?? 0;
          await refreshComputedLinks(tx, articleId, published + (firstTimeInFull ? 1 : 0));

          await tx.sourceDocument.upsert({
            where: { sha256 },
            create: { name: sourceName, sha256, parserVersion: PARSER_VERSION, articleId },
            update: { name: sourceName, parserVersion: PARSER_VERSION, articleId, ingestedAt: new Date() },
          });
          const trendSequence = firstTimeInFull ? await appendTrendEvent(tx, articleId) : null;
          return { outcome, articleId, trendSequence, warnings: parsed.warnings };
        },
        { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
      );
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

async function findKnownPeople(prisma: PrismaClient, texts: readonly string[]): Promise<KnownPerson[]> {
  const keys = candidatePersonKeys(texts);
  if (keys.length === 0) return [];
  const people = await prisma.actor.findMany({
    where: { kind: ActorKind.PERSON, key: { in: keys } },
    select: { key: true, name: true, aliases: { select: { surface: true } } },
  });
  return people.map((person) => ({ key: person.key, name: person.name, surfaces: person.aliases.map((alias) => alias.surface) }));
}

/**
 * An excerpt becomes a stub, or links to the article it already is. A stub keeps the
 * longest excerpt seen; a full article is never replaced by an excerpt of itself.
 */
async function storeExcerpt(
  tx: Tx,
  excerpt: ParsedArticle,
  categoryId: number | null,
  mentions: readonly ActorMention[],
  actorIds: Map<string, number>,
): Promise<number> {
  const data = articleData(excerpt, categoryId, true);
  const existing = await findArticle(tx, excerpt);
  if (!existing) {
    const { id } = await tx.article.create({ data: { ...data, slug: await freeArticleSlug(tx, excerpt) } });
    await replaceMentions(tx, id, mentions, actorIds);
    return id;
  }
  if (existing.isStub && data.body.length > existing.body.length) {
    await tx.article.update({ where: { id: existing.id }, data });
    await replaceMentions(tx, existing.id, mentions, actorIds);
  }
  return existing.id;
}

/** Editorial links in page order; returns whether they changed. */
async function replaceEditorialLinks(tx: Tx, sourceId: number, targetIds: readonly number[]): Promise<boolean> {
  const current = await tx.relatedLink.findMany({
    where: { sourceId, kind: 'EDITORIAL' },
    orderBy: { position: 'asc' },
    select: { targetId: true },
  });
  if (current.length === targetIds.length && current.every((link, i) => link.targetId === targetIds[i])) return false;
  // Computed links follow the editorial ones and are recomputed right after.
  await tx.relatedLink.deleteMany({ where: { sourceId } });
  await tx.relatedLink.createMany({
    data: targetIds.map((targetId, position) => ({ sourceId, targetId, position, kind: 'EDITORIAL' as const })),
  });
  return true;
}
