// Property-based: whatever the input, the parser either returns a document built only
// from the input's own text or rejects with a DocumentRejectedError — never anything else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentRejectedError, type ParsedDocument, parseDocument } from '../../src/ingest/parse-document.ts';
import { CORPUS_FILES, corpusText } from '../support/corpus.ts';
import { asCaptured } from '../support/corrections.ts';

function parseOrRejection(input: string | Uint8Array): ParsedDocument | null {
  try {
    return parseDocument(input, 'generated.txt');
  } catch (error) {
    if (error instanceof DocumentRejectedError) return null;
    throw error;
  }
}

/**
 * Every text the parser returned must occur in the input (line endings aside), once its
 * recorded repairs are undone.
 */
function expectNothingInvented(input: string, parsed: ParsedDocument) {
  const source = input.replace(/\r\n|\r/g, '\n');
  for (const article of [parsed, ...parsed.related]) {
    const { title, paragraphs } = asCaptured(article);
    for (const text of [title, article.category, article.imageCredit, ...paragraphs]) {
      if (text !== null) expect(source).toContain(text);
    }
    expect(Number.isNaN(article.publishedAt.getTime())).toBe(false);
  }
}

const corpusLines = CORPUS_FILES.map((file) => corpusText(file).split('\n'));

/** A corpus page with lines dropped, duplicated, swapped, garbled or inserted. */
const mutatedPage = fc
  .tuple(
    fc.constantFrom(...corpusLines),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
        fc.record({
          kind: fc.constant('insert' as const),
          at: fc.nat(),
          text: fc.string({ unit: 'grapheme', maxLength: 60 }),
        }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), length: fc.nat() }),
      ),
      { maxLength: 12 },
    ),
  )
  .map(([original, mutations]) => {
    const lines = [...original];
    for (const mutation of mutations) {
      if (lines.length === 0) break;
      const at = mutation.at % lines.length;
      if (mutation.kind === 'drop') lines.splice(at, 1);
      if (mutation.kind === 'duplicate') lines.splice(at, 0, lines[at]!);
      if (mutation.kind === 'swap') {
        const other = mutation.with % lines.length;
        [lines[at], lines[other]] = [lines[other]!, lines[at]!];
      }
      if (mutation.kind === 'insert') lines.splice(at, 0, mutation.text);
      if (mutation.kind === 'truncate') lines[at] = lines[at]!.slice(0, mutation.length % (lines[at]!.length + 1));
    }
    return lines.join('\n');
  });

/** Lines built from the page's own vocabulary, so dates, credits and headings occur often. */
const pageLikeText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '',
        'header -->',
        'Category status:',
        'Category status: Politics',
        'Similar articles',
        'Recent trends',
      ),
      fc.constantFrom('May 15, 2017 11:57', 'October 02, 2017 11:49', 'February 30, 2017 10:00', 'May 1S, 2017'),
      fc.constantFrom('Photo: www.mil.by', 'Фото: 4esnok.by', 'Фота: Еўрарадыё', 'Image:'),
      fc.constantFrom('Security: Minsk aims to steer clear', 'Minsk seeks additional security guarantees'),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
    ),
    { maxLength: 30 },
  )
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));

describe('parseDocument, property-based', () => {
  it('never crashes on mutated corpus pages and invents no text', () => {
    fc.assert(
      fc.property(mutatedPage, (page) => {
        const parsed = parseOrRejection(page);
        if (parsed) expectNothingInvented(page, parsed);
      }),
      { numRuns: 400 },
    );
  });

  it('never crashes on page-like text and invents no text', () => {
    fc.assert(
      fc.property(pageLikeText, (page) => {
        const parsed = parseOrRejection(page);
        if (parsed) expectNothingInvented(page, parsed);
      }),
      { numRuns: 600 },
    );
  });

  it('never crashes on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => void parseOrRejection(text)),
      { numRuns: 500 },
    );
  });

  it('never crashes on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void parseOrRejection(bytes)),
      { numRuns: 500 },
    );
  });
});
