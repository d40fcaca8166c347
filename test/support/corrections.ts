// Undoes the repairs the parser records, to compare parsed text with the page it came from.

import type { ParsedArticle, TextCorrection } from '../../src/ingest/parse-document.ts';

function undo(text: string, corrections: readonly TextCorrection[]): string {
  let original = text;
  // From the end, so earlier offsets stay valid (a repair keeps the length anyway).
  for (const correction of [...corrections].sort((a, b) => b.offset - a.offset)) {
    expectAt(original, correction);
    original =
      original.slice(0, correction.offset) +
      correction.original +
      original.slice(correction.offset + correction.replacement.length);
  }
  return original;
}

function expectAt(text: string, correction: TextCorrection): void {
  const found = text.slice(correction.offset, correction.offset + correction.replacement.length);
  if (found !== correction.replacement) {
    throw new Error(`correction ${JSON.stringify(correction)} does not match the text ("${found}")`);
  }
}

/** The article's title and paragraphs as captured, before the parser's repairs. */
export function asCaptured(article: ParsedArticle): { title: string; paragraphs: string[] } {
  return {
    title: undo(
      article.title,
      article.corrections.filter((c) => c.field === 'TITLE'),
    ),
    paragraphs: article.paragraphs.map((paragraph, index) =>
      undo(
        paragraph,
        article.corrections.filter((c) => c.field === 'PARAGRAPH' && c.paragraphIndex === index),
      ),
    ),
  };
}
