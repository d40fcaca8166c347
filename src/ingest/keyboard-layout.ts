// Repairs English words typed with the Russian (or Belarusian) keyboard layout left on:
// "учеутв" is "extend" typed on the keys of a ЙЦУКЕН keyboard. Such a token is replaced
// only when the letters on the same keys make a common English word and the token is
// not itself a Russian or Belarusian word, and only where it stands among English words:
// a run of Cyrillic words is repaired whole or not at all, so a quotation stays as it is.
// Every repair is returned, so nothing changes silently.

import { isBelarusianWord, isEnglishWord, isRussianWord } from './lexicons.ts';

/** Where a repair was made: the title, or a paragraph by its index (from 0). */
export type CorrectionField = 'TITLE' | 'PARAGRAPH';

export interface TextCorrection {
  kind: 'KEYBOARD_LAYOUT';
  /** The token as captured. */
  original: string;
  /** What replaced it. */
  replacement: string;
  field: CorrectionField;
  /** The paragraph's index (from 0); null for the title. */
  paragraphIndex: number | null;
  /** Offset of the token in the text, in UTF-16 code units (the same before and after: one key, one character). */
  offset: number;
}

// The Russian ЙЦУКЕН layout over the US one, key by key; the Belarusian layout differs
// in two letter keys: і for и, ў for щ.
const RUSSIAN_KEYS = 'йцукенгшщзхъфывапролджэячсмитьбюёіў';
const LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`bo";
const KEY_OF = new Map<string, string>();
for (let i = 0; i < RUSSIAN_KEYS.length; i++) {
  KEY_OF.set(RUSSIAN_KEYS[i]!, LATIN_KEYS[i]!);
  KEY_OF.set(RUSSIAN_KEYS[i]!.toUpperCase(), LATIN_KEYS[i]!.toUpperCase());
}

/**
 * A run needs one word at least this long: shorter tokens alone are too often
 * abbreviations or chance matches ("ша" is "if"), but "шы" ("is") may join a longer one.
 */
const MIN_WORD_LETTERS = 3;
const WORD = /[\p{L}\p{M}]+/gu;
const CYRILLIC_WORD = /^[\u0400-\u04FF]+$/u;
const LATIN_LETTER = /[A-Za-z]/;
/** The English word and the punctuation typed after it on the same keys ("учеутвб" is "extend,"). */
const ENGLISH_WITH_PUNCTUATION = /^([a-z]+)([,.;]*)$/;

/** The text typed on the same keys of a US keyboard, or null when a letter has no such key. */
function onUsKeys(token: string): string | null {
  let typed = '';
  for (const char of token) {
    const key = KEY_OF.get(char);
    if (key === undefined) return null;
    typed += key;
  }
  return typed;
}

function englishReading(token: string): string | null {
  const typed = onUsKeys(token);
  if (typed === null) return null;
  const match = ENGLISH_WITH_PUNCTUATION.exec(typed.toLowerCase());
  if (!match || !isEnglishWord(match[1]!)) return null;
  // Checked last: the dictionaries are loaded only when a token could be garble.
  return isRussianWord(token) || isBelarusianWord(token) ? null : typed;
}

interface Token {
  text: string;
  index: number;
}

/** Repairs the garbled words of one text; `field` and `paragraphIndex` say where it is. */
export function repairKeyboardLayout(
  text: string,
  field: CorrectionField,
  paragraphIndex: number | null,
): { text: string; corrections: TextCorrection[] } {
  // Cheap test first: most texts hold no Cyrillic letter at all.
  if (!/[\u0400-\u04FF]/u.test(text)) return { text, corrections: [] };
  const corrections: TextCorrection[] = [];
  let run: { token: Token; reading: string | null }[] = [];
  const closeRun = () => {
    const garbled =
      run.every((word) => word.reading !== null) && run.some((word) => word.token.text.length >= MIN_WORD_LETTERS);
    if (garbled) {
      for (const { token, reading } of run) {
        corrections.push({
          kind: 'KEYBOARD_LAYOUT',
          original: token.text,
          replacement: reading!,
          field,
          paragraphIndex,
          offset: token.index,
        });
      }
    }
    run = [];
  };
  for (const match of text.matchAll(WORD)) {
    const token = { text: match[0], index: match.index };
    if (CYRILLIC_WORD.test(token.text)) run.push({ token, reading: englishReading(token.text) });
    else if (LATIN_LETTER.test(token.text)) closeRun();
    // Words in other scripts neither join nor end a run.
  }
  closeRun();
  if (corrections.length === 0) return { text, corrections };
  let repaired = '';
  let copied = 0;
  for (const correction of corrections) {
    repaired += text.slice(copied, correction.offset) + correction.replacement;
    copied = correction.offset + correction.original.length;
  }
  return { text: repaired + text.slice(copied), corrections };
}
