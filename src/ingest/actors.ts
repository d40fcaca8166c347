// Finds the actors (people, states, organisations) an article names and counts their
// mentions. Pure: the caller passes the people the archive already knows.
//
// 1. Gazetteer states and organisations are matched first (longest alias wins), so their
//    words are never mistaken for names ("Roman Catholic Church" is not a Roman).
// 2. People are discovered in the remaining words: a name after a title ("Foreign Minister
//    Oleg Kravchenko", "human rights defender Bialiatski") or a known given name followed
//    by a capitalised word ("Maira Mora"). Titles are not part of the name.
// 3. Every surface form is then counted, people by their folded surname, so spelling
//    variants (Makey/Makei, Lukashenko/Lukashenka) and bare surnames resolve to one actor.

import { type ActorKindName, GAZETTEER, GIVEN_NAMES, NEVER_NAMES, PERSON_TITLES } from './gazetteer.ts';
import { memoizeText, slugify } from './text.ts';

export interface KnownPerson {
  key: string;
  name: string;
  surfaces: readonly string[];
}

export interface ActorMention {
  key: string;
  name: string;
  kind: ActorKindName;
  /** Surface forms as written in the text, in order of first appearance. */
  surfaces: string[];
  count: number;
}

interface Token {
  text: string;
  start: number;
  isWord: boolean;
  /** Starts with a capital letter (tested once here: matching asks for every token). */
  isCapitalised: boolean;
}

type MatchMode = 'exact' | 'lower' | 'name';

interface AliasEntry {
  words: string[]; // already keyed by mode
  mode: MatchMode;
  actorKey: string;
}

interface ActorInfo {
  key: string;
  name: string;
  kind: ActorKindName;
}

const NAME_PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'van', 'von', 'de', 'der', 'da']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/(?:\p{Lu}\.){2,}|[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu)) {
    const text = match[0];
    tokens.push({ text, start: match.index, isWord: /^[\p{L}\p{M}]/u.test(text), isCapitalised: isCapitalised(text) });
  }
  return tokens;
}

/** The words of a surface form (cached: the same names are split for every page). */
const wordsOf: (phrase: string) => readonly string[] = memoizeText(splitWords);

function splitWords(phrase: string): string[] {
  return tokenize(phrase)
    .filter((token) => token.isWord)
    .map((token) => token.text);
}

/**
 * A name's spelling-insensitive key: transliteration variants of one surname fold together
 * (y/i: Makey/Makei; the -o/-a ending: Lukashenko/Lukashenka).
 */
export const foldName = memoizeText(foldNameUncached);

function foldNameUncached(word: string): string {
  const folded = word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^(?:al|el)-/, '')
    .replace(/y/g, 'i')
    .replace(/i+/g, 'i');
  return folded.length > 3 ? folded.replace(/[ao]$/, '') : folded;
}

export function personKey(surname: string): string {
  return `person:${foldName(surname)}`;
}

function gazetteerKey(name: string, kind: ActorKindName, surname: string): string {
  return kind === 'PERSON' ? personKey(surname) : `${kind.toLowerCase()}:${slugify(name)}`;
}

function keyWord(word: string, mode: MatchMode): string {
  if (mode === 'exact') return word;
  if (mode === 'lower') return word.toLowerCase();
  return foldName(word);
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

function isAcronym(alias: string): boolean {
  return /^(?:\p{Lu}\.?)+$/u.test(alias.replace(/\s/g, ''));
}

/** Surface forms → alias entries, indexed by their first keyed word. */
class AliasDictionary {
  private readonly byFirstWord = new Map<string, AliasEntry[]>();

  /** `base`: a dictionary built once (the gazetteer's) that this one extends without copying. */
  constructor(private readonly base?: AliasDictionary) {}

  private entriesFor(index: string): readonly AliasEntry[] {
    const own = this.byFirstWord.get(index);
    const inherited = this.base?.entriesFor(index);
    if (!inherited?.length) return own ?? [];
    return own?.length ? [...inherited, ...own] : inherited;
  }

  add(surface: string, actorKey: string, kind: ActorKindName): void {
    const mode: MatchMode = kind === 'PERSON' ? 'name' : isAcronym(surface) ? 'exact' : 'lower';
    const words = wordsOf(surface).map((word) => keyWord(word, mode));
    if (words.length === 0) return;
    const index = `${mode}:${words[0]}`;
    const entries = this.byFirstWord.get(index) ?? [];
    if (entries.some((entry) => entry.actorKey === actorKey && entry.words.join(' ') === words.join(' '))) return;
    entries.push({ words, mode, actorKey });
    entries.sort((a, b) => b.words.length - a.words.length);
    this.byFirstWord.set(index, entries);
  }

  /** The longest alias starting at token `at`; returns the index after its last token. */
  match(tokens: readonly Token[], at: number): { actorKey: string; end: number } | null {
    const first = tokens[at];
    if (!first?.isWord || !first.isCapitalised) return null;
    const candidates = (['exact', 'lower', 'name'] as const).flatMap((mode) =>
      this.entriesFor(`${mode}:${keyWord(first.text, mode)}`),
    );
    // Stable: among equally long aliases the gazetteer's come first, as they were added first.
    if (candidates.length > 1) candidates.sort((a, b) => b.words.length - a.words.length);
    for (const entry of candidates) {
      const end = matchWords(tokens, at, entry);
      if (end !== null) return { actorKey: entry.actorKey, end };
    }
    return null;
  }
}

/** Matches an entry's words from token `at`; a single hyphen may join words ("Roman-Catholic"). */
function matchWords(tokens: readonly Token[], at: number, entry: AliasEntry): number | null {
  let cursor = at;
  for (let i = 0; i < entry.words.length; i++) {
    if (i > 0 && tokens[cursor]?.text === '-') cursor++;
    const token = tokens[cursor];
    if (!token?.isWord || keyWord(token.text, entry.mode) !== entry.words[i]) return null;
    if (entry.mode === 'name' && !token.isCapitalised && !NAME_PARTICLES.has(token.text)) return null;
    cursor++;
  }
  return cursor;
}

/** Title phrases in lower case by their first word, longest first. */
const TITLE_PHRASES = new Map<string, string[][]>();
for (const words of PERSON_TITLES.map((title) => wordsOf(title).map((word) => word.toLowerCase())).sort(
  (a, b) => b.length - a.length,
)) {
  TITLE_PHRASES.set(words[0]!, [...(TITLE_PHRASES.get(words[0]!) ?? []), words]);
}

function titleEndingAt(tokens: readonly Token[], at: number, consumed: readonly boolean[]): number | null {
  const first = tokens[at];
  if (!first?.isWord || consumed[at]) return null;
  for (const phrase of TITLE_PHRASES.get(first.text.toLowerCase()) ?? []) {
    let cursor = at;
    let matched = true;
    for (const word of phrase) {
      const token = tokens[cursor];
      if (!token?.isWord || consumed[cursor] || token.text.toLowerCase() !== word) {
        matched = false;
        break;
      }
      cursor++;
    }
    if (matched) return cursor;
  }
  return null;
}

function isNameWord(token: Token | undefined, consumed: boolean): boolean {
  return (
    !!token && token.isWord && !consumed && /^\p{Lu}[\p{Ll}\p{M}]+$/u.test(token.text) && !NEVER_NAMES.has(token.text)
  );
}

/**
 * Reads a person's name from token `at`: up to four capitalised words, optionally with
 * a particle ("Bashar al-Assad"). Returns the name's words and the index after it.
 */
function readName(
  tokens: readonly Token[],
  at: number,
  consumed: readonly boolean[],
): { words: string[]; end: number } {
  const words: string[] = [];
  let cursor = at;
  while (words.length < 4) {
    const token = tokens[cursor];
    if (isNameWord(token, !!consumed[cursor])) {
      if (titleEndingAt(tokens, cursor, consumed) !== null) break; // "President Minister ..." is not a name
      words.push(token!.text);
      cursor++;
      continue;
    }
    // A particle joined to the next name word: "al-Assad", "van Rompuy".
    const next = tokens[cursor + 1]?.text === '-' ? cursor + 2 : cursor + 1;
    if (words.length > 0 && token && NAME_PARTICLES.has(token.text) && isNameWord(tokens[next], !!consumed[next])) {
      words.push(`${token.text}${next === cursor + 2 ? '-' : ' '}${tokens[next]!.text}`);
      cursor = next + 1;
      continue;
    }
    break;
  }
  return { words, end: cursor };
}

interface PersonCandidate {
  words: string[];
}

function discoverPeople(tokens: readonly Token[], consumed: readonly boolean[]): PersonCandidate[] {
  const people: PersonCandidate[] = [];
  let i = 0;
  while (i < tokens.length) {
    const titleEnd = titleEndingAt(tokens, i, consumed);
    if (titleEnd !== null) {
      const nameStart = tokens[titleEnd]?.text === ',' ? titleEnd + 1 : titleEnd;
      const name = readName(tokens, nameStart, consumed);
      if (name.words.length > 0) {
        people.push({ words: name.words });
        i = name.end;
        continue;
      }
      i = titleEnd;
      continue;
    }
    const token = tokens[i]!;
    if (token.isWord && !consumed[i] && GIVEN_NAMES.has(token.text)) {
      const name = readName(tokens, i, consumed);
      if (name.words.length >= 2) {
        people.push({ words: name.words });
        i = name.end;
        continue;
      }
    }
    i++;
  }
  return people;
}

/** The capitalised words of the texts as person keys: what to look up among known people. */
export function candidatePersonKeys(texts: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      if (token.isWord && token.isCapitalised && token.text.length > 1) keys.add(personKey(token.text));
    }
  }
  return [...keys];
}

function normalizeSpaces(text: string): string {
  // Non-breaking spaces separate words like any space; offsets stay the same.
  return text.replace(/[\u00A0\u2007\u202F]/g, ' ');
}

/** A person is matched by each surface form of their name and by its last word alone. */
function addPersonSurfaces(dictionary: AliasDictionary, key: string, surfaces: readonly string[]): void {
  for (const surface of surfaces) {
    dictionary.add(surface, key, 'PERSON');
    const surname = wordsOf(surface).at(-1);
    if (surname) dictionary.add(surname, key, 'PERSON');
  }
}

/** Builds the gazetteer's dictionaries once: its states and organisations, and its people. */
function buildGazetteer() {
  const institutions = new AliasDictionary();
  const people = new AliasDictionary();
  const actors = new Map<string, ActorInfo>();
  const surfacesByKey = new Map<string, string[]>();
  for (const entry of GAZETTEER) {
    const surfaces = [entry.name, ...entry.aliases];
    const key = gazetteerKey(entry.name, entry.kind, wordsOf(entry.name).at(-1)!);
    const info = { key, name: entry.name, kind: entry.kind };
    actors.set(key, info);
    surfacesByKey.set(key, surfaces);
    if (entry.kind === 'PERSON') addPersonSurfaces(people, key, surfaces);
    else for (const surface of surfaces) institutions.add(surface, key, entry.kind);
  }
  return { institutions, people, actors, surfacesByKey };
}

const gazetteer = buildGazetteer();

/** Every surface form the gazetteer knows for an actor key (stored as aliases). */
export function gazetteerSurfaces(key: string): readonly string[] {
  return gazetteer.surfacesByKey.get(key) ?? [];
}

// A page's text and each of its excerpts are searched with the same known people:
// their dictionary is built once per list.
const knownPeopleDictionaries = new WeakMap<
  readonly KnownPerson[],
  { actors: Map<string, ActorInfo>; dictionary: AliasDictionary }
>();

function knownPeopleDictionary(knownPeople: readonly KnownPerson[]) {
  let known = knownPeopleDictionaries.get(knownPeople);
  if (!known) {
    known = { actors: new Map(gazetteer.actors), dictionary: new AliasDictionary(gazetteer.people) };
    for (const person of knownPeople) {
      if (!known.actors.has(person.key))
        known.actors.set(person.key, { key: person.key, name: person.name, kind: 'PERSON' });
      addPersonSurfaces(known.dictionary, person.key, [person.name, ...person.surfaces]);
    }
    knownPeopleDictionaries.set(knownPeople, known);
  }
  return known;
}

/**
 * The actors named in the texts (an article's title and paragraphs), with mention counts.
 * `knownPeople` are people the archive discovered before (looked up by candidatePersonKeys).
 */
export function findActors(texts: readonly string[], knownPeople: readonly KnownPerson[] = []): ActorMention[] {
  const segments = texts.map((text) => {
    const spaced = normalizeSpaces(text);
    return { text: spaced, tokens: tokenize(spaced) };
  });

  // 1. Institutions first, marking their words as consumed.
  const consumedBySegment = segments.map(({ tokens }) => {
    const consumed = new Array<boolean>(tokens.length).fill(false);
    for (let i = 0; i < tokens.length; ) {
      const match = gazetteer.institutions.match(tokens, i);
      if (match) {
        consumed.fill(true, i, match.end);
        i = match.end;
      } else i++;
    }
    return consumed;
  });

  // 2. People: the gazetteer's, those known before, and those discovered here.
  const known = knownPeopleDictionary(knownPeople);
  const actors = new Map<string, ActorInfo>(known.actors);
  const personDictionary = new AliasDictionary(known.dictionary);
  const addPerson = (info: ActorInfo, surfaces: readonly string[]) => {
    if (!actors.has(info.key)) actors.set(info.key, info);
    addPersonSurfaces(personDictionary, info.key, surfaces);
  };
  segments.forEach(({ tokens }, n) => {
    for (const candidate of discoverPeople(tokens, consumedBySegment[n]!)) {
      const name = candidate.words.join(' ');
      const key = personKey(candidate.words.at(-1)!);
      const existing = actors.get(key);
      // A discovered person keeps the fullest form of their name seen so far.
      if (existing && !gazetteer.actors.has(key) && wordsOf(name).length > wordsOf(existing.name).length) {
        actors.set(key, { ...existing, name });
      }
      addPerson(actors.get(key) ?? { key, name, kind: 'PERSON' }, [name]);
    }
  });

  // 3. Count every mention, institutions and people alike, longest match first.
  const mentions = new Map<string, ActorMention>();
  segments.forEach(({ text, tokens }) => {
    for (let i = 0; i < tokens.length; ) {
      const match = gazetteer.institutions.match(tokens, i) ?? personDictionary.match(tokens, i);
      if (!match) {
        i++;
        continue;
      }
      const last = tokens[match.end - 1]!;
      const surface = text.slice(tokens[i]!.start, last.start + last.text.length);
      const info = actors.get(match.actorKey)!;
      const mention = mentions.get(info.key) ?? { ...info, surfaces: [], count: 0 };
      mention.count++;
      if (!mention.surfaces.includes(surface)) mention.surfaces.push(surface);
      mentions.set(info.key, mention);
      i = match.end;
    }
  });
  return [...mentions.values()].map((mention) => ({ ...mention, name: actors.get(mention.key)!.name }));
}
