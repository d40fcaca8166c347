// Parses one captured page (format: docs/source-format.md) into an article and the
// excerpts of its "Similar articles" section. Pure: no I/O, no database.
//
// Tolerant where the shape varies (scraper residue, header lines in any order, optional
// lines, one- or two-digit days, blank lines anywhere between header lines), strict where
// data would be lost: anything that is not a readable page is rejected with a
// DocumentRejectedError naming the problem. Linear in the page's length.

import { type CorrectionField, repairKeyboardLayout, type TextCorrection } from './keyboard-layout.ts';
import { minskLocalTimeToUtc } from './minsk-time.ts';

export type { TextCorrection } from './keyboard-layout.ts';

/** Bump when parsing changes what is stored, so re-ingesting the same bytes updates. */
export const PARSER_VERSION = 3;

export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/**
 * Longest title, in UTF-16 code units (JavaScript's length; a character outside the
 * Basic Multilingual Plane counts twice). Titles are indexed (an article's identity):
 * PostgreSQL refuses an index row over about 2,700 bytes, and 500 code units are at most
 * 1,500 bytes of UTF-8. The site's titles run to about 130.
 */
export const MAX_TITLE_LENGTH = 500;
/** Longest category name (a title prefix longer than this is part of the title). */
export const MAX_CATEGORY_LENGTH = 100;
/** Longest image credit. */
export const MAX_CREDIT_LENGTH = 300;
/**
 * Most text a page may carry in its articles (titles and paragraphs, the excerpts
 * included), in bytes of UTF-8. Each article's text is indexed for search, and a
 * PostgreSQL search vector holds at most 1 MiB of distinct words and positions (a 1 MB
 * body of distinct words needs 1.4 MB); and finding the actors of the largest page, the
 * worst kind of text included, takes a few tens of milliseconds of the request thread.
 * The site's pages carry 5 to 10 KB.
 */
export const MAX_PAGE_TEXT_BYTES = 128 * 1024;

export type RejectionReason =
  | 'EMPTY'
  | 'NOT_TEXT'
  | 'TOO_LARGE'
  | 'NO_TITLE'
  | 'NO_DATE'
  | 'BAD_DATE'
  | 'NO_BODY'
  | 'TITLE_TOO_LONG'
  | 'CATEGORY_TOO_LONG'
  | 'CREDIT_TOO_LONG'
  | 'TEXT_TOO_LONG';

export class DocumentRejectedError extends Error {
  override name = 'DocumentRejectedError';
  constructor(
    readonly reason: RejectionReason,
    readonly sourceName: string,
    readonly detail: string,
  ) {
    super(`${sourceName}: ${detail}`);
  }
}

export interface ParsedArticle {
  title: string;
  category: string | null;
  /** UTC instant of the page's Europe/Minsk publication time. */
  publishedAt: Date;
  imageCredit: string | null;
  paragraphs: string[];
  /** Repairs made to the title and paragraphs (keyboard-layout garble), in text order. */
  corrections: TextCorrection[];
}

export interface ParsedDocument extends ParsedArticle {
  /** "Similar articles" excerpts in page order. */
  related: ParsedArticle[];
  /** Oddities that were tolerated, for the ingest report. */
  warnings: string[];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_PATTERN = `(?:${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`;
/** `May 15, 2017 11:57`; the time may be missing, the comma too. */
const DATE_LINE = new RegExp(`^(${MONTH_PATTERN})\\s+(\\d{1,2}),?\\s+(\\d{4})(?:,?\\s+(\\d{1,2}):(\\d{2}))?$`, 'i');
/**
 * A short line that starts like a date: with a bad value it is a BAD_DATE, not a title.
 * A longer one is text ("May 9 parades in Minsk were ...").
 */
const DATE_LIKE_LINE = new RegExp(`^${MONTH_PATTERN}\\s+\\d`, 'i');
const DATE_LIKE_MAX_LENGTH = 32;
const CREDIT_LINE = /^(?:photo|image|picture|фото|фота)\s*:\s*(\S.*)$/iu;
const CATEGORY_STATUS_LINE = /^category\s+status\s*:\s*(.*)$/i;
/** "Security: Minsk aims ..." — a short capitalised prefix of at most three words. */
const CATEGORY_PREFIX = /^(\p{Lu}[\p{L}&'’-]*(?: [\p{L}&'’-]+){0,2}): (\S.*)$/u;
const SIMILAR_HEADING = /^similar articles:?$/i;
const TRENDS_HEADING = /^recent trends:?$/i;
/** Scraper residue before the title, such as a line `header -->`. */
const RESIDUE_LINE = /-->|<!--|^[^\p{L}\p{N}]*$/u;

interface Line {
  text: string; // trimmed, for recognising the line
  raw: string; // as captured, for paragraphs: nothing is rewritten inside a paragraph
  index: number; // 0-based line number, for messages
}

function decode(input: string | Uint8Array, sourceName: string): string {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_DOCUMENT_BYTES) {
      throw new DocumentRejectedError('TOO_LARGE', sourceName, `larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    if (!input.isWellFormed()) {
      throw new DocumentRejectedError('NOT_TEXT', sourceName, 'not text: contains unpaired UTF-16 surrogates');
    }
    return input;
  }
  if (input.byteLength > MAX_DOCUMENT_BYTES) {
    throw new DocumentRejectedError(
      'TOO_LARGE',
      sourceName,
      `${input.byteLength} bytes, larger than ${MAX_DOCUMENT_BYTES}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new DocumentRejectedError('NOT_TEXT', sourceName, 'not text: invalid UTF-8');
  }
}

function assertText(text: string, sourceName: string): void {
  // Control characters other than tab, line feed, vertical tab, form feed and carriage
  // return do not occur in captured text: they mark a binary file.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  const control = /[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]/.exec(text);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new DocumentRejectedError(
      'NOT_TEXT',
      sourceName,
      `not text: control character U+${code} at offset ${control.index}`,
    );
  }
}

function parseDateLine(line: Line, sourceName: string): Date | null {
  const match = DATE_LINE.exec(line.text);
  if (!match) {
    if (line.text.length <= DATE_LIKE_MAX_LENGTH && DATE_LIKE_LINE.test(line.text)) {
      throw new DocumentRejectedError(
        'BAD_DATE',
        sourceName,
        `unparseable date "${line.text}" on line ${line.index + 1}`,
      );
    }
    return null;
  }
  const [, monthName, dayText, yearText, hourText = '0', minuteText = '0'] = match;
  const month = MONTHS.findIndex((name) => name.startsWith(monthName!.toLowerCase().replace('.', '').slice(0, 3))) + 1;
  const [year, day, hour, minute] = [yearText, dayText, hourText, minuteText].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1900 || year > 2200 || day < 1 || day > daysInMonth || hour > 23 || minute > 59) {
    throw new DocumentRejectedError('BAD_DATE', sourceName, `impossible date "${line.text}" on line ${line.index + 1}`);
  }
  return minskLocalTimeToUtc({ year, month, day, hour, minute });
}

function splitTitle(rawTitle: string): { title: string; category: string | null } {
  const match = CATEGORY_PREFIX.exec(rawTitle);
  if (match && match[1]!.length <= MAX_CATEGORY_LENGTH) return { category: match[1]!, title: match[2]!.trim() };
  return { category: null, title: rawTitle };
}

/**
 * Groups non-blank lines into paragraphs; a blank line ends a paragraph. A paragraph
 * spanning several lines keeps them as captured, trimmed only at its two ends.
 */
function toParagraphs(lines: readonly (Line | null)[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(current.join('\n').trim());
    current = [];
  };
  for (const line of lines) {
    if (line === null) flush();
    else current.push(line.raw);
  }
  flush();
  return paragraphs;
}

const NON_BLANK = /\S/g;

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/**
 * The non-blank lines, with a null where one or more blank lines stood, so paragraph
 * breaks survive. Blank stretches are skipped by a regular expression and only counted:
 * a page of a million line breaks once made a million-entry array.
 */
function toLines(text: string): (Line | null)[] {
  const lines: (Line | null)[] = [];
  let cursor = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNumber = 0;
  for (;;) {
    NON_BLANK.lastIndex = cursor;
    const found = NON_BLANK.exec(text);
    if (!found) break;
    let lineStart = cursor;
    let breaks = 0;
    for (let i = cursor; i < found.index; i++) {
      const code = text.charCodeAt(i);
      // \r\n is one break, counted at its \n.
      if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) {
        breaks++;
        lineStart = i + 1;
      }
    }
    if (breaks > 1 && lines.length > 0) lines.push(null);
    lineNumber += breaks;
    let end = found.index;
    while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
    const raw = text.slice(lineStart, end);
    lines.push({ text: raw.trim(), raw, index: lineNumber });
    cursor = end;
  }
  return lines;
}

/** What the header lines around a title say: a date, a credit, a "Category status". */
interface Header {
  publishedAt: Date | null;
  imageCredit: string | null;
  /** The value of a "Category status:" line (null: no line, or no value). */
  category: string | null;
}

type HeaderLine =
  | { kind: 'date'; publishedAt: Date }
  | { kind: 'credit'; value: string }
  | { kind: 'category'; value: string | null };

function headerLine(line: Line, sourceName: string): HeaderLine | null {
  const status = CATEGORY_STATUS_LINE.exec(line.text);
  if (status) {
    const value = status[1]!.trim();
    if (value.length > MAX_CATEGORY_LENGTH) {
      throw new DocumentRejectedError(
        'CATEGORY_TOO_LONG',
        sourceName,
        `the category on line ${line.index + 1} has ${value.length} characters, more than ${MAX_CATEGORY_LENGTH}`,
      );
    }
    return { kind: 'category', value: value || null };
  }
  const credit = CREDIT_LINE.exec(line.text);
  if (credit) {
    const value = credit[1]!.trim();
    if (value.length > MAX_CREDIT_LENGTH) {
      throw new DocumentRejectedError(
        'CREDIT_TOO_LONG',
        sourceName,
        `the image credit on line ${line.index + 1} has ${value.length} characters, more than ${MAX_CREDIT_LENGTH}`,
      );
    }
    return { kind: 'credit', value };
  }
  const publishedAt = parseDateLine(line, sourceName);
  return publishedAt ? { kind: 'date', publishedAt } : null;
}

/**
 * Reads header lines from `position` on, in any order and with blank lines between, up to
 * the first line that is none of them or repeats one already read. Returns what they say
 * and where the header ends.
 */
function readHeader(
  lines: readonly (Line | null)[],
  position: number,
  sourceName: string,
  header: Header = { publishedAt: null, imageCredit: null, category: null },
): { header: Header; next: number } {
  const seen = new Set<HeaderLine['kind']>();
  if (header.publishedAt) seen.add('date');
  if (header.imageCredit !== null) seen.add('credit');
  if (header.category !== null) seen.add('category');
  let cursor = position;
  let next = position;
  for (; cursor < lines.length; cursor++) {
    const line = lines[cursor];
    if (line === null || line === undefined) continue;
    const found = headerLine(line, sourceName);
    if (!found || seen.has(found.kind)) break;
    seen.add(found.kind);
    if (found.kind === 'date') header.publishedAt = found.publishedAt;
    else if (found.kind === 'credit') header.imageCredit = found.value;
    else header.category = found.value;
    next = cursor + 1;
  }
  return { header, next };
}

function assertTitle(title: string, line: Line, sourceName: string): void {
  if (title.length > MAX_TITLE_LENGTH) {
    throw new DocumentRejectedError(
      'TITLE_TOO_LONG',
      sourceName,
      `the title on line ${line.index + 1} has ${title.length} characters, more than ${MAX_TITLE_LENGTH}`,
    );
  }
}

/** The article with keyboard-layout garble repaired in its title and paragraphs, each repair recorded. */
function withRepairs(article: UnrepairedArticle): ParsedArticle {
  const corrections: TextCorrection[] = [];
  const repair = (text: string, field: CorrectionField, paragraphIndex: number | null) => {
    const repaired = repairKeyboardLayout(text, field, paragraphIndex);
    corrections.push(...repaired.corrections);
    return repaired.text;
  };
  const title = repair(article.title, 'TITLE', null);
  const paragraphs = article.paragraphs.map((paragraph, index) => repair(paragraph, 'PARAGRAPH', index));
  return { ...article, title, paragraphs, corrections };
}

type UnrepairedArticle = Omit<ParsedArticle, 'corrections'>;

function parseExcerpts(lines: (Line | null)[], sourceName: string, warnings: string[]): UnrepairedArticle[] {
  // An excerpt is a title line, header lines (a date among them, the others in any
  // order) and paragraphs up to the next excerpt's title.
  const excerpts: { titleAt: number; header: Header; bodyAt: number }[] = [];
  let claimed = -1; // the last line of the previous excerpt's header
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const publishedAt = parseDateLine(line, sourceName);
    if (!publishedAt) continue;
    // The title is the nearest line above that is neither blank nor a header line.
    let titleAt = i - 1;
    while (titleAt > claimed && (lines[titleAt] === null || headerLine(lines[titleAt]!, sourceName))) titleAt--;
    if (titleAt <= claimed) {
      warnings.push(`line ${line.index + 1}: a date line in "Similar articles" without a title was ignored`);
      claimed = i; // so that the next date looks no further back than this one
      continue;
    }
    let { header, next } = readHeader(lines, titleAt + 1, sourceName);
    if (!header.publishedAt) {
      // A header line seen twice (two credits) ended the header above the date that
      // starts this excerpt: that date still dates it, and its header goes on after it.
      warnings.push(`line ${line.index + 1}: a repeated header line above this date was ignored`);
      ({ header, next } = readHeader(lines, i + 1, sourceName, { ...header, publishedAt }));
    }
    excerpts.push({ titleAt, header, bodyAt: next });
    claimed = next - 1;
    i = next - 1;
  }
  const firstTitle = excerpts[0]?.titleAt ?? lines.length;
  if (lines.slice(0, firstTitle).some((line) => line !== null)) {
    warnings.push('text between "Similar articles" and its first excerpt was ignored');
  }
  return excerpts.map((excerpt, n) => {
    const titleLine = lines[excerpt.titleAt]!;
    const { title, category } = splitTitle(titleLine.text);
    assertTitle(title, titleLine, sourceName);
    return {
      title,
      category: excerpt.header.category ?? category,
      publishedAt: excerpt.header.publishedAt!,
      imageCredit: excerpt.header.imageCredit,
      paragraphs: toParagraphs(lines.slice(excerpt.bodyAt, excerpts[n + 1]?.titleAt ?? lines.length)),
    };
  });
}

function assertTextSize(articles: readonly UnrepairedArticle[], sourceName: string): void {
  let bytes = 0;
  for (const article of articles) {
    bytes += Buffer.byteLength(article.title, 'utf8');
    for (const paragraph of article.paragraphs) bytes += Buffer.byteLength(paragraph, 'utf8');
  }
  if (bytes > MAX_PAGE_TEXT_BYTES) {
    throw new DocumentRejectedError(
      'TEXT_TOO_LONG',
      sourceName,
      `the page's titles and paragraphs hold ${bytes} bytes, more than ${MAX_PAGE_TEXT_BYTES}`,
    );
  }
}

export function parseDocument(input: string | Uint8Array, sourceName: string): ParsedDocument {
  const text = decode(input, sourceName);
  if (!text.trim()) throw new DocumentRejectedError('EMPTY', sourceName, 'empty document');
  assertText(text, sourceName);

  const lines = toLines(text);
  const warnings: string[] = [];

  // Scraper residue, and header lines that came before the title, are skipped to the title.
  let titleAt = 0;
  const early: Header = { publishedAt: null, imageCredit: null, category: null };
  for (; titleAt < lines.length; titleAt++) {
    const line = lines[titleAt];
    if (!line || RESIDUE_LINE.test(line.text)) continue;
    const header = headerLine(line, sourceName);
    if (!header) break;
    if (header.kind === 'date') {
      throw new DocumentRejectedError('NO_TITLE', sourceName, `no title: the first line is a date ("${line.text}")`);
    }
    if (header.kind === 'credit') early.imageCredit = header.value;
    else early.category = header.value;
  }
  const titleLine = lines[titleAt];
  if (!titleLine)
    throw new DocumentRejectedError('EMPTY', sourceName, 'no text besides scraper residue and header lines');
  if (titleLine.text.length > MAX_TITLE_LENGTH + MAX_CATEGORY_LENGTH + 2) {
    assertTitle(titleLine.text, titleLine, sourceName); // before matching a prefix on a huge line
  }
  const split = splitTitle(titleLine.text);
  assertTitle(split.title, titleLine, sourceName);

  const { header, next: bodyStart } = readHeader(lines, titleAt + 1, sourceName, early);
  if (!header.publishedAt) {
    const found = lines.slice(bodyStart).find((line) => line !== null);
    throw new DocumentRejectedError(
      'NO_DATE',
      sourceName,
      found
        ? `no date line: expected "Month DD, YYYY HH:MM" among the lines after the title, found "${found.text.slice(0, 80)}" on line ${found.index + 1}`
        : 'no date line: the document ends after the title',
    );
  }

  const sectionAt = (heading: RegExp, from: number) => {
    const at = lines.findIndex((line, i) => i >= from && line !== null && heading.test(line.text));
    return at === -1 ? lines.length : at;
  };
  const trendsAt = sectionAt(TRENDS_HEADING, bodyStart);
  const similarAt = Math.min(sectionAt(SIMILAR_HEADING, bodyStart), trendsAt);

  const paragraphs = toParagraphs(lines.slice(bodyStart, similarAt));
  if (paragraphs.length === 0) {
    throw new DocumentRejectedError('NO_BODY', sourceName, 'no body paragraphs after the header lines');
  }
  const article = {
    title: split.title,
    // An explicit "Category status: X" is metadata; it wins over a title prefix.
    category: header.category ?? split.category,
    publishedAt: header.publishedAt,
    imageCredit: header.imageCredit,
    paragraphs,
  };
  const related = similarAt < trendsAt ? parseExcerpts(lines.slice(similarAt + 1, trendsAt), sourceName, warnings) : [];
  assertTextSize([article, ...related], sourceName);
  return { ...withRepairs(article), related: related.map(withRepairs), warnings };
}
