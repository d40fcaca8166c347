// Parses one captured page (format: shared/corpus-format.md) into an article and the
// excerpts of its "Similar articles" section. Pure: no I/O, no database.
//
// Tolerant where the shape varies (scraper residue, optional lines, one- or two-digit
// days, blank lines between an excerpt's title and date), strict where data would be
// lost: anything that is not a readable page is rejected with a DocumentRejectedError.

import { minskLocalTimeToUtc } from './minsk-time.ts';

/** Bump when parsing changes what is stored, so re-ingesting the same bytes updates. */
export const PARSER_VERSION = 1;

export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export type RejectionReason = 'EMPTY' | 'NOT_TEXT' | 'TOO_LARGE' | 'NO_TITLE' | 'NO_DATE' | 'BAD_DATE' | 'NO_BODY';

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
/** Anything that starts like a date: with a bad value it is a BAD_DATE, not a title. */
const DATE_LIKE_LINE = new RegExp(`^${MONTH_PATTERN}\\s+\\d`, 'i');
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
    if (DATE_LIKE_LINE.test(line.text)) {
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
  if (match) return { category: match[1]!, title: match[2]!.trim() };
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

/** Lines with blank ones as null, so paragraph breaks survive. */
function toLines(text: string): (Line | null)[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, index) => {
      const trimmed = raw.trim();
      return trimmed ? { text: trimmed, raw, index } : null;
    });
}

function takeCredit(lines: (Line | null)[], position: number): { credit: string | null; next: number } {
  let cursor = position;
  while (cursor < lines.length && lines[cursor] === null) cursor++;
  const line = lines[cursor];
  const match = line ? CREDIT_LINE.exec(line.text) : null;
  return match ? { credit: match[1]!.trim(), next: cursor + 1 } : { credit: null, next: position };
}

function parseExcerpts(lines: (Line | null)[], sourceName: string, warnings: string[]): ParsedArticle[] {
  // An excerpt starts with a title line whose next non-blank line is a date line.
  const starts: { titleAt: number; dateAt: number; publishedAt: Date }[] = [];
  let previousNonBlank = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const publishedAt = parseDateLine(line, sourceName);
    if (publishedAt) {
      const claimed = starts.at(-1)?.dateAt ?? -1;
      if (previousNonBlank > claimed) starts.push({ titleAt: previousNonBlank, dateAt: i, publishedAt });
      else warnings.push(`line ${line.index + 1}: a date line in "Similar articles" without a title was ignored`);
    }
    previousNonBlank = i;
  }
  const firstTitle = starts[0]?.titleAt ?? lines.length;
  if (lines.slice(0, firstTitle).some((line) => line !== null)) {
    warnings.push('text between "Similar articles" and its first excerpt was ignored');
  }
  return starts.map((start, n) => {
    const end = starts[n + 1]?.titleAt ?? lines.length;
    const { credit, next } = takeCredit(lines, start.dateAt + 1);
    return {
      ...splitTitle(lines[start.titleAt]!.text),
      publishedAt: start.publishedAt,
      imageCredit: credit,
      paragraphs: toParagraphs(lines.slice(next, end)),
    };
  });
}

export function parseDocument(input: string | Uint8Array, sourceName: string): ParsedDocument {
  const text = decode(input, sourceName);
  if (!text.trim()) throw new DocumentRejectedError('EMPTY', sourceName, 'empty document');
  assertText(text, sourceName);

  const lines = toLines(text);
  const warnings: string[] = [];
  let cursor = 0;
  const nextLine = (): Line | undefined => {
    while (cursor < lines.length && lines[cursor] === null) cursor++;
    return lines[cursor++] ?? undefined;
  };

  let titleLine = nextLine();
  while (titleLine && RESIDUE_LINE.test(titleLine.text)) titleLine = nextLine();
  if (!titleLine) throw new DocumentRejectedError('EMPTY', sourceName, 'no text besides scraper residue');
  if (DATE_LINE.test(titleLine.text) || DATE_LIKE_LINE.test(titleLine.text)) {
    throw new DocumentRejectedError('NO_TITLE', sourceName, `no title: the first line is a date ("${titleLine.text}")`);
  }
  let { title, category } = splitTitle(titleLine.text);

  let dateLine = nextLine();
  const status = dateLine ? CATEGORY_STATUS_LINE.exec(dateLine.text) : null;
  if (status) {
    // An explicit "Category status: X" is metadata; it wins over a title prefix.
    if (status[1]!.trim()) category = status[1]!.trim();
    dateLine = nextLine();
  }
  if (!dateLine) {
    throw new DocumentRejectedError('NO_DATE', sourceName, 'no date line: the document ends after the title');
  }
  const publishedAt = parseDateLine(dateLine, sourceName);
  if (!publishedAt) {
    throw new DocumentRejectedError(
      'NO_DATE',
      sourceName,
      `no date line: expected "Month DD, YYYY HH:MM" after the title, found "${dateLine.text.slice(0, 80)}" on line ${dateLine.index + 1}`,
    );
  }

  const { credit: imageCredit, next: bodyStart } = takeCredit(lines, cursor);
  const sectionAt = (heading: RegExp, from: number) => {
    const at = lines.findIndex((line, i) => i >= from && line !== null && heading.test(line.text));
    return at === -1 ? lines.length : at;
  };
  const trendsAt = sectionAt(TRENDS_HEADING, bodyStart);
  const similarAt = Math.min(sectionAt(SIMILAR_HEADING, bodyStart), trendsAt);

  const paragraphs = toParagraphs(lines.slice(bodyStart, similarAt));
  if (paragraphs.length === 0) {
    throw new DocumentRejectedError('NO_BODY', sourceName, 'no body paragraphs after the date line');
  }
  const related = similarAt < trendsAt ? parseExcerpts(lines.slice(similarAt + 1, trendsAt), sourceName, warnings) : [];
  return { title, category, publishedAt, imageCredit, paragraphs, related, warnings };
}
