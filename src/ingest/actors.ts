// Finds the actors (people, states, organisations) a page names and counts their
// mentions. Pure: the caller passes the people the archive already knows.
//
// 1. Gazetteer states and organisations are matched first (longest alias wins), so their
//    words are never mistaken for names ("Roman Catholic Church" is not a Roman).
// 2. People are discovered in the remaining words:
//    - a name after a title: "Foreign Minister Oleg Kravchenko", "human rights defender
//      Bialiatski" (titles are not part of the name);
//    - a given name and a surname after a role noun: "his counterpart Gabrielius
//      Landsbergis", "presidential hopeful Viktar Babaryka";
//    - a known given name, in any spelling, and a surname: "Maira Mora", "Siarhei ...";
//    - two capitalised words standing alone, neither a common English word, whose
//      second word recurs alone on the page: "Gabrielius Landsbergis ... Landsbergis
//      said". Organisations and states are consumed by step 1; months, section words and
//      places are never name words (gazetteer.ts); a capitalised sentence-initial word
//      ("However", "Meanwhile") is a common English word.
//    A page may introduce at most MAX_NEW_PEOPLE_PER_PAGE people the archive does not
//    know; the rest stay plain text and the page gets a warning.
// 3. Every surface form is then counted, longest match first. People are keyed by their
//    folded surname (name-key.ts), so spelling variants (Makey/Makei, Tsikhanouski/
//    Tikhanovsky, Лукашенко) resolve to one actor; two people of one surname are told
//    apart by their given names (see PeopleRegistry), and a bare surname goes to the
//    first person of that surname.
//
// Linear in the page's length: every match is a bounded number of map lookups.

import { type ActorKindName, GAZETTEER, NEVER_NAMES, PERSON_TITLES, ROLE_NOUNS } from './gazetteer.ts';
import { isEnglishWord } from './lexicons.ts';
import { foldName, isKnownGivenName, personKey } from './name-key.ts';
import { memoizeText, slugify } from './text.ts';

export { foldName, personKey } from './name-key.ts';

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

/**
 * People one page (its article and excerpts together) may introduce to the archive. A
 * page naming more new people is a list or a poisoned page; either way its text is kept
 * and the first ones found are linked (documented in docs/source-format.md).
 */
export const MAX_NEW_PEOPLE_PER_PAGE = 100;

/**
 * A longer word is not taken for a name. Besides sense, this bounds the actor keys and
 * alias surfaces stored (both are indexed, and an index row has a size limit).
 */
export const MAX_NAME_WORD_LENGTH = 40;

interface Token {
  text: string;
  start: number;
  isWord: boolean;
  /** Starts with a capital letter (tested once here: matching asks for every token). */
  isCapitalised: boolean;
  /** Capitalised, then lower case, not too long, and no section, calendar or place word. */
  isNameShaped: boolean;
}

type MatchMode = 'exact' | 'lower' | 'name';

interface ActorInfo {
  key: string;
  name: string;
  kind: ActorKindName;
}

const NAME_PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'van', 'von', 'de', 'der', 'da']);

// Character classes for the tokenizer, which scans the text once by hand: a regular
// expression's match objects cost more than the scan itself on a long page.
const UPPER = 0;
const LOWER = 1;
const OTHER_LETTER = 2;
const MARK = 3;
const DIGIT = 4;
const SPACE = 5;
const OTHER = 6;

const classOfCode = new Map<number, number>();

function classify(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  if (code < 128) return code === 32 || (code >= 9 && code <= 13) ? SPACE : OTHER;
  let known = classOfCode.get(code);
  if (known === undefined) {
    const char = String.fromCodePoint(code);
    if (/\p{Lu}/u.test(char)) known = UPPER;
    else if (/\p{Ll}/u.test(char)) known = LOWER;
    else if (/\p{L}/u.test(char)) known = OTHER_LETTER;
    else if (/\p{M}/u.test(char)) known = MARK;
    else if (/\p{N}/u.test(char)) known = DIGIT;
    else if (/\s/u.test(char)) known = SPACE;
    else known = OTHER;
    classOfCode.set(code, known);
  }
  return known;
}

/**
 * Words (letters and marks), acronyms with dots ("U.S."), runs of digits, and single
 * other characters; spaces separate tokens.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const code = text.codePointAt(at)!;
    const charClass = classify(code);
    const width = code > 0xffff ? 2 : 1;
    const start = at;
    if (charClass === SPACE) {
      at += width;
      continue;
    }
    if (charClass === UPPER && text[at + 1] === '.') {
      // An acronym: two letter-dot pairs at least.
      let end = at;
      while (end < text.length && classify(text.charCodeAt(end)) === UPPER && text[end + 1] === '.') end += 2;
      if (end - at >= 4) {
        tokens.push({ text: text.slice(at, end), start, isWord: true, isCapitalised: true, isNameShaped: false });
        at = end;
        continue;
      }
    }
    if (charClass <= MARK) {
      let lowerAfterFirst = true;
      at += width;
      while (at < text.length) {
        const next = text.codePointAt(at)!;
        const nextClass = classify(next);
        if (nextClass > MARK) break;
        if (nextClass !== LOWER && nextClass !== MARK) lowerAfterFirst = false;
        at += next > 0xffff ? 2 : 1;
      }
      const word = text.slice(start, at);
      const isCapitalised = charClass === UPPER;
      tokens.push({
        text: word,
        start,
        isWord: charClass !== MARK,
        isCapitalised,
        isNameShaped:
          isCapitalised &&
          lowerAfterFirst &&
          word.length > 1 &&
          word.length <= MAX_NAME_WORD_LENGTH &&
          !NEVER_NAMES.has(word),
      });
      continue;
    }
    at += width;
    if (charClass === DIGIT) while (at < text.length && classify(text.codePointAt(at)!) === DIGIT) at++;
    tokens.push({ text: text.slice(start, at), start, isWord: false, isCapitalised: false, isNameShaped: false });
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

function keyWord(word: string, mode: MatchMode): string {
  if (mode === 'exact') return word;
  if (mode === 'lower') return word.toLowerCase();
  return foldName(word);
}

function isAcronym(alias: string): boolean {
  return /^(?:\p{Lu}\.?)+$/u.test(alias.replace(/\s/g, ''));
}

function gazetteerMode(surface: string, kind: ActorKindName): MatchMode {
  return kind === 'PERSON' ? 'name' : isAcronym(surface) ? 'exact' : 'lower';
}

const MODES: readonly MatchMode[] = ['exact', 'lower', 'name'];

interface AliasMatch {
  actorKey: string;
  /** The index after the match's last token. */
  end: number;
  words: number;
}

/**
 * Surface forms → actor keys, looked up by their keyed words joined. For each first
 * word it remembers the longest form that starts with it, so a match tries a handful of
 * lengths, each one map lookup, whatever the number of forms.
 */
class AliasDictionary {
  private readonly forms: Record<MatchMode, Map<string, string>> = {
    exact: new Map(),
    lower: new Map(),
    name: new Map(),
  };
  private readonly longest: Record<MatchMode, Map<string, number>> = {
    exact: new Map(),
    lower: new Map(),
    name: new Map(),
  };

  /** `base`: a dictionary built once (the gazetteer's) that this one extends without copying. */
  constructor(private readonly base?: AliasDictionary) {}

  add(surface: string, actorKey: string, mode: MatchMode): void {
    const words = wordsOf(surface).map((word) => keyWord(word, mode));
    if (words.length === 0) return;
    const form = words.join(' ');
    // The first actor to claim a form keeps it; the base's claims come first.
    if (this.lookup(mode, form) !== undefined) return;
    this.forms[mode].set(form, actorKey);
    this.longest[mode].set(words[0]!, Math.max(this.longest[mode].get(words[0]!) ?? 0, words.length));
  }

  private lookup(mode: MatchMode, form: string): string | undefined {
    return this.base?.lookup(mode, form) ?? this.forms[mode].get(form);
  }

  private longestFrom(mode: MatchMode, firstWord: string): number {
    return Math.max(this.longest[mode].get(firstWord) ?? 0, this.base?.longestFrom(mode, firstWord) ?? 0);
  }

  private hasForms(mode: MatchMode): boolean {
    return this.forms[mode].size > 0 || !!this.base?.hasForms(mode);
  }

  /**
   * The longest form starting at token `at` (at least `minWords` words); among forms
   * equally long, exact ones before lower-case ones before names.
   */
  match(tokens: readonly Token[], at: number, minWords = 1): AliasMatch | null {
    const first = tokens[at];
    if (!first?.isCapitalised) return null;
    let best: AliasMatch | null = null;
    for (const mode of MODES) {
      if (!this.hasForms(mode)) continue;
      const longest = this.longestFrom(mode, keyWord(first.text, mode));
      if (longest < Math.max(minWords, (best?.words ?? 0) + 1)) continue;
      const read = readWords(tokens, at, longest, mode);
      for (let count = read.keys.length; count >= minWords && count > (best?.words ?? 0); count--) {
        const actorKey = this.lookup(mode, read.keys.slice(0, count).join(' '));
        if (actorKey !== undefined) {
          best = { actorKey, end: read.ends[count - 1]!, words: count };
          break;
        }
      }
    }
    return best;
  }
}

/**
 * Up to `limit` words from token `at`, keyed by `mode`; a single hyphen may join words
 * ("Roman-Catholic"). Name words must be capitalised (particles aside) and not too long.
 */
function readWords(tokens: readonly Token[], at: number, limit: number, mode: MatchMode) {
  const keys: string[] = [];
  const ends: number[] = [];
  let cursor = at;
  while (keys.length < limit) {
    if (keys.length > 0 && tokens[cursor]?.text === '-') cursor++;
    const token = tokens[cursor];
    if (!token?.isWord) break;
    if (mode === 'name') {
      if (!token.isCapitalised && !NAME_PARTICLES.has(token.text)) break;
      if (token.text.length > MAX_NAME_WORD_LENGTH) break;
    }
    keys.push(keyWord(token.text, mode));
    ends.push(++cursor);
  }
  return { keys, ends };
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
  return !!token && token.isNameShaped && !consumed;
}

/**
 * Reads a person's name from token `at`: up to four capitalised words, optionally with
 * a particle ("Bashar al-Assad") or a hyphenated given name ("Eva-Maria Liimets").
 * Returns the name's words and the index after it.
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
      if (
        words.length === 0 &&
        tokens[cursor + 1]?.text === '-' &&
        isNameWord(tokens[cursor + 2], !!consumed[cursor + 2])
      ) {
        words.push(`${token!.text}-${tokens[cursor + 2]!.text}`);
        cursor += 3;
        continue;
      }
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

function isCommonEnglish(word: string): boolean {
  return isEnglishWord(word.toLowerCase());
}

interface Segment {
  text: string;
  tokens: Token[];
  /** Tokens that belong to a state's or organisation's name. */
  consumed: boolean[];
  /** The state or organisation whose name starts at each token, if any. */
  institutions: (AliasMatch | undefined)[];
}

/**
 * How often each folded word stands alone on the page: a name-shaped word whose
 * neighbours are not name-shaped ("Landsbergis said"), the evidence that a pair of
 * capitalised words before it was a given name and a surname.
 */
function standaloneCounts(segments: readonly Segment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { tokens, consumed } of segments) {
    for (let i = 0; i < tokens.length; i++) {
      if (!isNameWord(tokens[i], consumed[i]!)) continue;
      if (isNameWord(tokens[i - 1], !!consumed[i - 1]) || isNameWord(tokens[i + 1], !!consumed[i + 1])) continue;
      const folded = foldName(tokens[i]!.text);
      counts.set(folded, (counts.get(folded) ?? 0) + 1);
    }
  }
  return counts;
}

/** The names a segment introduces, in text order (see the rules at the top of this file). */
function discoverPeople(segment: Segment, standalone: ReadonlyMap<string, number>): string[][] {
  const { tokens, consumed } = segment;
  const people: string[][] = [];
  let i = 0;
  while (i < tokens.length) {
    const titleEnd = titleEndingAt(tokens, i, consumed);
    if (titleEnd !== null) {
      const nameStart = tokens[titleEnd]?.text === ',' ? titleEnd + 1 : titleEnd;
      const name = readName(tokens, nameStart, consumed);
      if (name.words.length > 0) {
        people.push(name.words);
        i = name.end;
        continue;
      }
      i = titleEnd;
      continue;
    }
    const token = tokens[i]!;
    if (token.isWord && !consumed[i] && ROLE_NOUNS.has(token.text.toLowerCase())) {
      const name = readName(tokens, i + 1, consumed);
      if (name.words.length >= 2 && !isCommonEnglish(name.words.at(-1)!)) {
        people.push(name.words);
        i = name.end;
        continue;
      }
    }
    if (isNameWord(token, consumed[i]!) && isKnownGivenName(token.text)) {
      const name = readName(tokens, i, consumed);
      if (name.words.length >= 2) {
        people.push(name.words);
        i = name.end;
        continue;
      }
    }
    const surname = tokens[i + 1];
    if (
      isNameWord(token, consumed[i]!) &&
      isNameWord(surname, consumed[i + 1]!) &&
      !isNameWord(tokens[i - 1], !!consumed[i - 1]) &&
      !isNameWord(tokens[i + 2], !!consumed[i + 2]) &&
      (standalone.get(foldName(surname!.text)) ?? 0) > 0 &&
      !isCommonEnglish(token.text) &&
      !isCommonEnglish(surname!.text)
    ) {
      people.push([token.text, surname!.text]);
      i += 2;
      continue;
    }
    i++;
  }
  return people;
}

interface PersonRecord {
  key: string;
  name: string;
  /** Folded surname and given name (null: known by surname alone). */
  surname: string;
  givenName: string | null;
}

function personRecord(key: string, name: string): PersonRecord {
  const words = wordsOf(name);
  return {
    key,
    name,
    surname: foldName(words.at(-1) ?? name),
    givenName: words.length > 1 ? foldName(words[0]!) : null,
  };
}

/**
 * The people a page can name, layered: the gazetteer's (built once), those the archive
 * knew before the page, and those the page introduces. The first person of a surname
 * holds the key `person:<surname>`; someone of that surname with another given name gets
 * `person:<surname>/<given name>`, so Viktar Babaryka and Eduard Babaryka stay two people,
 * while Siarhei Tsikhanouski and Sergei Tikhanovsky, and a surname-only "Tsikhanouski",
 * are one.
 */
class PeopleRegistry {
  private readonly records = new Map<string, PersonRecord>();
  private readonly bearers = new Map<string, string[]>();
  /** Names of two words or more; a single word is looked up among the surname's bearers. */
  readonly names: AliasDictionary;

  constructor(private readonly base?: PeopleRegistry) {
    this.names = new AliasDictionary(base?.names);
  }

  get(key: string): PersonRecord | undefined {
    return this.records.get(key) ?? this.base?.get(key);
  }

  bearersOf(surname: string): readonly string[] {
    const own = this.bearers.get(surname);
    const inherited = this.base?.bearersOf(surname);
    if (!inherited?.length) return own ?? [];
    return own?.length ? [...inherited, ...own] : inherited;
  }

  /** Adds (or, in this layer, updates) a person and the surface forms that name them. */
  add(record: PersonRecord, surfaces: readonly string[]): void {
    if (!this.get(record.key)) this.addBearer(record.surname, record.key);
    this.records.set(record.key, record);
    for (const surface of [record.name, ...surfaces]) {
      const words = wordsOf(surface);
      if (words.length > 1) this.names.add(surface, record.key, 'name');
      if (words.length > 0) this.addBearer(foldName(words.at(-1)!), record.key);
    }
  }

  private addBearer(surname: string, key: string): void {
    if (this.bearersOf(surname).includes(key)) return;
    const own = this.bearers.get(surname) ?? [];
    own.push(key);
    this.bearers.set(surname, own);
  }

  /**
   * The key a name resolves to: an existing person, or `undefined` with the key a new
   * person would get. A surname alone resolves to an existing bearer when there is one.
   */
  resolve(words: readonly string[]): { existing: PersonRecord | undefined; key: string } {
    const surname = words.at(-1)!;
    const folded = foldName(surname);
    const plainKey = personKey(surname);
    if (words.length === 1) {
      const bearers = this.bearersOf(folded);
      const key = bearers.includes(plainKey) ? plainKey : (bearers[0] ?? plainKey);
      return { existing: this.get(key), key };
    }
    const givenName = foldName(words[0]!);
    const ownKey = personKey(surname, words[0]!);
    const own = this.get(ownKey);
    if (own) return { existing: own, key: ownKey };
    const holder = this.get(plainKey);
    if (!holder) return { existing: undefined, key: plainKey };
    if (holder.givenName === null || holder.givenName === givenName) return { existing: holder, key: plainKey };
    return { existing: undefined, key: ownKey };
  }

  /**
   * The person a bare surname names: the first person of that surname (who holds its plain
   * key). "Valery Tsepkalo ... his wife Veronika Tsepkalo ... Tsepkalo later moved to Kyiv":
   * news prose names a relative in full and keeps the bare surname for the main subject.
   */
  bearerFor(surname: string): string | undefined {
    const bearers = this.bearersOf(surname);
    return bearers.find((key) => key === `person:${surname}`) ?? bearers[0];
  }
}

/** Builds the gazetteer's dictionaries once: its states and organisations, and its people. */
function buildGazetteer() {
  const institutions = new AliasDictionary();
  const people = new PeopleRegistry();
  const actors = new Map<string, ActorInfo>();
  const surfacesByKey = new Map<string, string[]>();
  for (const entry of GAZETTEER) {
    const surfaces = [entry.name, ...entry.aliases];
    let key: string;
    if (entry.kind === 'PERSON') {
      key = people.resolve(wordsOf(entry.name)).key;
      people.add(personRecord(key, entry.name), surfaces);
    } else {
      key = `${entry.kind.toLowerCase()}:${slugify(entry.name)}`;
      for (const surface of surfaces) institutions.add(surface, key, gazetteerMode(surface, entry.kind));
    }
    actors.set(key, { key, name: entry.name, kind: entry.kind });
    surfacesByKey.set(key, surfaces);
  }
  return { institutions, people, actors, surfacesByKey };
}

const gazetteer = buildGazetteer();

/** Every surface form the gazetteer knows for an actor key (stored as aliases). */
export function gazetteerSurfaces(key: string): readonly string[] {
  return gazetteer.surfacesByKey.get(key) ?? [];
}

/**
 * A page's articles (each its title and paragraphs), tokenized once and with the states
 * and organisations they name marked: what candidatePersonKeys and findPageActors read.
 */
export interface PageText {
  articles: Segment[][];
}

export function readPageText(articles: readonly (readonly string[])[]): PageText {
  return { articles: articles.map(segmentsOf) };
}

/** The capitalised words of a page, and pairs of them, as the person keys they could have. */
export function candidatePersonKeys(page: PageText): string[] {
  const keys = new Set<string>();
  for (const { tokens } of page.articles.flat()) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!token.isCapitalised || token.text.length < 2 || token.text.length > MAX_NAME_WORD_LENGTH) continue;
      keys.add(personKey(token.text));
      const previous = tokens[i - 1];
      if (previous?.isNameShaped) keys.add(personKey(token.text, previous.text));
    }
  }
  return [...keys];
}

function normalizeSpaces(text: string): string {
  // Non-breaking spaces separate words like any space; offsets stay the same.
  return text.replace(/[\u00A0\u2007\u202F]/g, ' ');
}

function segmentsOf(texts: readonly string[]): Segment[] {
  return texts.map((raw) => {
    const text = normalizeSpaces(raw);
    const tokens = tokenize(text);
    // Institutions first, marking their words as consumed.
    const consumed = new Array<boolean>(tokens.length).fill(false);
    const institutions = new Array<AliasMatch | undefined>(tokens.length);
    for (let i = 0; i < tokens.length; ) {
      const match = gazetteer.institutions.match(tokens, i);
      if (match) {
        institutions[i] = match;
        consumed.fill(true, i, match.end);
        i = match.end;
      } else i++;
    }
    return { text, tokens, consumed, institutions };
  });
}

export interface PageActors {
  /** Per article, in the order given: its actors with their mention counts. */
  articles: ActorMention[][];
  /** What the page could not have (people over the cap). */
  warnings: string[];
}

export interface FindActorsOptions {
  maxNewPeople?: number;
}

/**
 * The actors named by a page's articles, with mention counts per article. People found anywhere on the page are found in all of its
 * articles. `knownPeople` are people the archive discovered before (looked up by
 * candidatePersonKeys).
 */
export function findPageActors(
  page: PageText,
  knownPeople: readonly KnownPerson[] = [],
  { maxNewPeople = MAX_NEW_PEOPLE_PER_PAGE }: FindActorsOptions = {},
): PageActors {
  const segmentsByArticle = page.articles;
  const allSegments = segmentsByArticle.flat();

  const known = new PeopleRegistry(gazetteer.people);
  const actors = new Map<string, ActorInfo>(gazetteer.actors);
  for (const person of knownPeople) {
    if (!actors.has(person.key)) actors.set(person.key, { key: person.key, name: person.name, kind: 'PERSON' });
    if (!known.get(person.key)) known.add(personRecord(person.key, person.name), person.surfaces);
  }

  // People: those known, and those the page introduces, up to the cap.
  const people = new PeopleRegistry(known);
  const refused = new Set<string>();
  let introduced = 0;
  const standalone = standaloneCounts(allSegments);
  for (const segment of allSegments) {
    for (const words of discoverPeople(segment, standalone)) {
      const name = words.join(' ');
      const { existing, key } = people.resolve(words);
      if (existing) {
        // A person keeps the fullest form of their name seen so far (the gazetteer's names are fixed).
        if (!gazetteer.actors.has(key) && words.length > wordsOf(existing.name).length) {
          people.add(personRecord(key, name), [name]);
          actors.set(key, { key, name, kind: 'PERSON' });
        } else people.add(existing, [name]);
        continue;
      }
      if (introduced >= maxNewPeople) {
        refused.add(key);
        continue;
      }
      introduced++;
      people.add(personRecord(key, name), [name]);
      actors.set(key, { key, name, kind: 'PERSON' });
    }
  }

  // Count every mention, institutions and people alike, longest match first.
  const counted = segmentsByArticle.map((segments) => {
    const mentions = new Map<string, ActorMention & { seen: Set<string> }>();
    for (const { text, tokens, institutions } of segments) {
      for (let i = 0; i < tokens.length; ) {
        let match: { actorKey: string; end: number } | null | undefined =
          institutions[i] ?? people.names.match(tokens, i, 2);
        if (!match && tokens[i]!.isCapitalised && tokens[i]!.text.length <= MAX_NAME_WORD_LENGTH) {
          const actorKey = people.bearerFor(foldName(tokens[i]!.text));
          match = actorKey === undefined ? null : { actorKey, end: i + 1 };
        }
        if (!match) {
          i++;
          continue;
        }
        const last = tokens[match.end - 1]!;
        const surface = text.slice(tokens[i]!.start, last.start + last.text.length);
        const info = actors.get(match.actorKey)!;
        let mention = mentions.get(info.key);
        if (!mention) {
          mention = { ...info, surfaces: [], count: 0, seen: new Set() };
          mentions.set(info.key, mention);
        }
        mention.count++;
        if (!mention.seen.has(surface)) {
          mention.seen.add(surface);
          mention.surfaces.push(surface);
        }
        i = match.end;
      }
    }
    return [...mentions.values()].map(({ seen: _, ...mention }) => ({
      ...mention,
      name: actors.get(mention.key)!.name,
    }));
  });

  const warnings =
    refused.size > 0
      ? [
          `the page names ${introduced + refused.size} people the archive does not know; the first ${maxNewPeople} are linked as actors, ${refused.size} are left as plain text`,
        ]
      : [];
  return { articles: counted, warnings };
}

/**
 * The key each stored person (by name, oldest first) has under today's rules, as if the
 * archive met them in that order: for re-keying an archive stored under earlier rules
 * (person-keys.ts).
 */
export function personKeysOf(people: readonly { id: number; name: string }[]): Map<number, string> {
  const registry = new PeopleRegistry(gazetteer.people);
  const keys = new Map<number, string>();
  for (const person of people) {
    const words = wordsOf(person.name);
    if (words.length === 0) continue;
    const { existing, key } = registry.resolve(words);
    if (!existing || words.length > wordsOf(existing.name).length) registry.add(personRecord(key, person.name), []);
    keys.set(person.id, key);
  }
  return keys;
}

/** The actors named in one article's texts (its title and paragraphs), with mention counts. */
export function findActors(texts: readonly string[], knownPeople: readonly KnownPerson[] = []): ActorMention[] {
  return findPageActors(readPageText([texts]), knownPeople).articles[0]!;
}
