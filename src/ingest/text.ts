// Text helpers shared by the parser, the actor resolver and ingestion: identity keys,
// slugs and word counts. Pure functions, no I/O.

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'yo', є: 'ye', ж: 'zh', з: 'z',
  и: 'i', і: 'i', ї: 'yi', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ў: 'w', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Folds typographic variants away: curly quotes, dashes, non-breaking and repeated spaces. */
export function foldTypography(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\s\u00A0\u2007\u202F]+/g, ' ')
    .trim();
}

/**
 * The identity of a title: the same article seen on several pages must yield the same key,
 * whatever quotes, spacing or letter case the capture used.
 */
export function normalizeTitle(title: string): string {
  return foldTypography(title)
    .toLowerCase()
    .replace(/[.!?…:;,]+$/u, '')
    .trim();
}

/** ASCII slug: Cyrillic transliterated, diacritics dropped, anything else becomes "-". */
export function slugify(text: string, maxLength = 80): string {
  // Ingestion slugs every name and alias of every page, mostly the same few hundred.
  if (text.length > SLUG_CACHE_MAX_TEXT) return computeSlug(text, maxLength);
  const cacheKey = `${maxLength}:${text}`;
  let slug = slugs.get(cacheKey);
  if (slug === undefined) {
    if (slugs.size >= SLUGS_CACHED) slugs.clear();
    slug = computeSlug(text, maxLength);
    slugs.set(cacheKey, slug);
  }
  return slug;
}

const SLUG_CACHE_MAX_TEXT = 100;
const SLUGS_CACHED = 50_000;
const slugs = new Map<string, string>();

function computeSlug(text: string, maxLength: number): string {
  const latin = [...foldTypography(text).toLowerCase()].map((char) => CYRILLIC_TO_LATIN[char] ?? char).join('');
  const slug = latin
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['"]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

export function countWords(paragraphs: readonly string[]): number {
  let words = 0;
  for (const paragraph of paragraphs) words += paragraph.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
  return words;
}

export const PARAGRAPH_SEPARATOR = '\n\n';
