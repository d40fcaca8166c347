// Text helpers shared by the parser, the actor resolver and ingestion: identity keys,
// slugs and word counts. Pure functions, no I/O.

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ў: 'w',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Folds typographic variants away: curly quotes, dashes, non-breaking and repeated spaces. */
function foldTypography(text: string): string {
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
  return trimTrailing(foldTypography(title).toLowerCase(), TRAILING_TITLE_PUNCTUATION).trim();
}

const TRAILING_TITLE_PUNCTUATION = new Set('.!?…:;,');

/**
 * `text` without the run of `characters` that ends it. A loop, not a regular expression
 * anchored at the end: that one retries from every position of a long run that does not
 * reach the end, quadratic in the run's length (100,000 dots took 14 s).
 */
function trimTrailing(text: string, characters: ReadonlySet<string>): string {
  let end = text.length;
  while (end > 0 && characters.has(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/**
 * Memoises a pure function of a string. Ingestion folds, splits and slugs the same few
 * hundred names and aliases on every page; the cache is cleared when it reaches `limit`
 * entries, so an unusual input stream cannot grow it without bound.
 */
export function memoizeText<T>(compute: (text: string) => T, limit = 50_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      if (cache.size >= limit) cache.clear();
      value = compute(text);
      cache.set(text, value);
    }
    return value;
  };
}

const DEFAULT_SLUG_LENGTH = 80;
const slugOfName = memoizeText((text) => computeSlug(text, DEFAULT_SLUG_LENGTH));

/** ASCII slug: Cyrillic transliterated, diacritics dropped, anything else becomes "-". */
export function slugify(text: string, maxLength = DEFAULT_SLUG_LENGTH): string {
  // Names and aliases are cached; titles and other long texts are slugged once anyway.
  return maxLength === DEFAULT_SLUG_LENGTH && text.length <= 100 ? slugOfName(text) : computeSlug(text, maxLength);
}

/** Cyrillic letters (Russian, Belarusian, Ukrainian) in Latin ones; other characters as they are. */
export function transliterateCyrillic(text: string): string {
  let latin = '';
  for (const char of text) latin += CYRILLIC_TO_LATIN[char] ?? char;
  return latin;
}

function computeSlug(text: string, maxLength: number): string {
  const latin = transliterateCyrillic(foldTypography(text).toLowerCase());
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
