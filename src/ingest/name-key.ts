// The spelling-insensitive key of a personal name. Belarusian names reach English text
// in Belarusian Latin (Siarhei Tsikhanouski), Russian BGN (Sergei Tikhanovsky), ad-hoc
// spellings (Makey, Byalyatsky) and now and then in Cyrillic (Лукашенко); each folds
// to one key here. The rules are the systematic correspondences between them, applied
// in this order to the transliterated, lower-case word:
//
//   tch → ch        Statkevitch / Statkevich
//   kh → h          Tsikhanouski / Tikhanovsky (then h → g, below)
//   x → ks          Alexander / Aleksandr
//   w → v, j → y    Wladimir, Andrej
//   y → i           Makey / Makei, Byalyatsky / Bialiatski
//   ts → t          Belarusian ц for Russian т: Tsikhanouski / Tikhanovsky
//   dz → d          Belarusian дз for Russian д: Uladzimir / Vladimir
//   h → g           Belarusian г is h, Russian г is g: Ihar / Igor (not in sh, ch, zh)
//   o → a           Belarusian akanne: Pratasevich / Protasevich, Lukashenka / Lukashenko
//   ie → e (first)  Yermoshina / Ermoshina
//   au, eu → av, ev before a consonant or at the end: Belarusian ў for Russian в,
//                   Tsikhanouski / Tikhanovsky, Kravtsou / Kravtsov
//   doubled letters once: Zelenskyy / Zelensky, Assad
//
// Endings that mark a different person are kept: Tsikhanouskaya (she) is not
// Tsikhanouski (he), Lavrova is not Lavrov. Given names that differ by more than these
// rules (Siarhei / Sergei, Aliaksandr / Alexander) fold through a table of variants
// (GIVEN_NAME_VARIANTS in gazetteer.ts).

import { GIVEN_NAME_VARIANTS } from './gazetteer.ts';
import { memoizeText, transliterateCyrillic } from './text.ts';

const ASCII_LOWER_WORD = /^[a-z]*$/;

/** The word in lower-case ASCII letters: Cyrillic transliterated, accents and other marks dropped. */
function latinLetters(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII_LOWER_WORD.test(lower)) return lower;
  return transliterateCyrillic(lower)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/^(?:al|el)-/, '')
    .replace(/[^\p{L}]/gu, '');
}

/**
 * The rules above in two passes over the letters (one call costs about a microsecond;
 * a page may name tens of thousands of distinct words).
 */
function foldSpelling(word: string): string {
  const letters = latinLetters(word);
  let out = '';
  for (let i = 0; i < letters.length; i++) {
    const char = letters[i]!;
    const next = letters[i + 1];
    if (char === 't' && next === 'c' && letters[i + 2] === 'h') continue; // tch → ch
    if (char === 'k' && next === 'h') continue; // kh → h
    if ((char === 't' && next === 's') || (char === 'd' && next === 'z')) {
      out += char; // ts → t, dz → d
      i++;
    } else if (char === 'x') out += 'ks';
    else if (char === 'w') out += 'v';
    else if (char === 'j' || char === 'y') out += 'i';
    else if (char === 'o') out += 'a';
    else if (char === 'h') {
      const previous = out[out.length - 1];
      out += previous === 's' || previous === 'c' || previous === 'z' ? 'h' : 'g';
    } else out += char;
  }
  if (out.startsWith('ie')) out = out.slice(1);
  let folded = '';
  let last = '';
  for (let i = 0; i < out.length; i++) {
    let char = out[i]!;
    // au, eu, av, ev before a consonant or at the end: ў and в alike.
    if ((char === 'u' || char === 'v') && (out[i - 1] === 'a' || out[i - 1] === 'e') && !isVowel(out[i + 1])) {
      char = 'v';
    }
    if (char !== last) folded += char; // doubled letters once
    last = char;
  }
  return folded;
}

function isVowel(char: string | undefined): boolean {
  return char === 'a' || char === 'e' || char === 'i' || char === 'u';
}

/** Each given name's folded variants → the folded form of the group's first name. */
const GIVEN_NAME_CANON = new Map<string, string>();
for (const variants of GIVEN_NAME_VARIANTS) {
  const canon = foldSpelling(variants[0]!);
  for (const variant of variants) GIVEN_NAME_CANON.set(foldSpelling(variant), canon);
}

/**
 * The key of one word of a name: its spelling folded, and a given name's variants folded
 * to one. "Сергей", "Siarhei" and "Sergey" give the same key; "Lavrov" and "Lavrova" do not.
 */
export const foldName: (word: string) => string = memoizeText((word) => {
  const folded = foldSpelling(word);
  return GIVEN_NAME_CANON.get(folded) ?? folded;
});

/** Whether a word is a given name the archive knows, in any of its spellings. */
export function isKnownGivenName(word: string): boolean {
  return GIVEN_NAME_CANON.has(foldName(word));
}

/**
 * A person's actor key. The first person of a surname holds `person:<surname>`; another
 * person of the same surname and a different given name gets `person:<surname>/<given>`
 * (see PeopleRegistry in actors.ts).
 */
export function personKey(surname: string, givenName?: string): string {
  return givenName === undefined ? `person:${foldName(surname)}` : `person:${foldName(surname)}/${foldName(givenName)}`;
}
