// Deterministic synthetic pages in the source format (shared/corpus-format.md), for
// benchmarks and scale tests. Page n of a corpus of N pages with seed S is always the
// same text: titles from policy-analysis phrases, dates spread over ten years (Minsk
// time), credits in Latin, Russian and Belarusian script, 3-8 paragraphs naming actors
// from the gazetteer in their spelling variants plus people the gazetteer does not know,
// and 1-3 "Similar articles" excerpts of other pages of the same corpus.

import { GAZETTEER } from '../ingest/gazetteer.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const CATEGORIES = ['Security', 'Politics', 'Economy', 'Foreign policy', 'Society'];
const CREDITS = ['Photo: www.mil.by', 'Image: Catholic.by', 'Фото: 4esnok.by', 'Фота: Еўрарадыё', 'Photo: belta.by', 'Фото: president.gov.by', ''];
const TITLE_SUBJECTS = ['Minsk', 'Belarusian authorities', 'The Kremlin', 'Brussels', 'Washington', 'Kyiv', 'Warsaw', 'Beijing', 'Vilnius', 'The Belarusian Foreign Ministry'];
const TITLE_VERBS = ['seeks', 'rejects', 'welcomes', 'postpones', 'tests', 'questions', 'revives', 'limits', 'expands', 'courts'];
const TITLE_OBJECTS = [
  'new security guarantees', 'a role as negotiating platform', 'closer economic ties', 'military cooperation',
  'sanctions relief', 'regional integration', 'border arrangements', 'energy transit deals', 'a dialogue on human rights',
  'investment from abroad', 'joint exercises', 'visa liberalisation',
];
const PEOPLE_VARIANTS = [
  ['Foreign Minister Makei', 'Vladimir Makey', 'Makei', 'Uladzimir Makei'],
  ['President Lukashenka', 'Alexander Lukashenko', 'Lukashenko', 'Lukashenka'],
  ['Sergei Lavrov', 'Russian Foreign Minister Sergei Lavrov', 'Lavrov'],
  ['Vladimir Putin', 'President Putin', 'Putin'],
];
const NEW_PERSON_TITLES = ['Deputy Foreign Minister', 'Defence Minister', 'Ambassador', 'human rights defender', 'Foreign Minister'];
const GIVEN = ['Oleg', 'Andrei', 'Maria', 'Pavel', 'Elena', 'Viktor', 'Anna', 'Dmitry', 'Olga', 'Ivan'];
const SURNAMES = ['Kravchenko', 'Novik', 'Sadovsky', 'Zhuk', 'Karpovich', 'Levitsky', 'Rudak', 'Belsky', 'Gromyko', 'Shevtsov', 'Tsikhan', 'Marchuk'];
const CONNECTIVES = ['met', 'discussed regional security with', 'criticised', 'signed an agreement with', 'called on', 'held consultations with'];
const TOPICS = [
  'the transit of goods', 'the situation in the region', 'joint military drills', 'the visa regime', 'trade quotas',
  'the protection of national minorities', 'the energy balance', 'the schedule of the next summit',
];

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEN_YEARS_OF_MINUTES = 10 * 365 * 24 * 60;
/** A prime that shares no factor with TEN_YEARS_OF_MINUTES: n ↦ n·P mod range is a bijection. */
const DATE_STRIDE = 7919;

function dateLine(n: number): string {
  const minutes = (n * DATE_STRIDE) % TEN_YEARS_OF_MINUTES;
  const date = new Date(Date.UTC(2014, 0, 1) + minutes * 60_000);
  const day = date.getUTCDate();
  return `${MONTHS[date.getUTCMonth()]} ${day < 10 && n % 2 ? `0${day}` : day}, ${date.getUTCFullYear()} ${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

interface PageParts {
  category: string;
  title: string;
  date: string;
  credit: string;
  paragraphs: string[];
}

function partsOf(n: number, seed: number): PageParts {
  const next = random(seed * 1_000_003 + n);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const actorPhrase = () => {
    const roll = next();
    if (roll < 0.35) return pick(pick(PEOPLE_VARIANTS));
    if (roll < 0.5) return `${pick(NEW_PERSON_TITLES)} ${pick(GIVEN)} ${pick(SURNAMES)}`;
    const entry = pick(GAZETTEER);
    return pick([entry.name, ...entry.aliases]);
  };
  const paragraphs = Array.from({ length: 3 + Math.floor(next() * 6) }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => `${actorPhrase()} ${pick(CONNECTIVES)} ${actorPhrase()} on ${pick(TOPICS)}.`).join(' '),
  );
  return {
    category: pick(CATEGORIES),
    // The page number keeps titles distinct, as real headlines mostly are.
    title: `${pick(TITLE_SUBJECTS)} ${pick(TITLE_VERBS)} ${pick(TITLE_OBJECTS)} (${n + 1})`,
    date: dateLine(n),
    credit: pick(CREDITS),
    paragraphs,
  };
}

/** Page n (0-based) of a corpus of `count` pages. */
export function syntheticPage(n: number, count: number, seed = 1): string {
  const parts = partsOf(n, seed);
  const next = random(seed * 7_368_787 + n);
  const excerptCount = count > 1 ? 1 + Math.floor(next() * 3) : 0;
  const targets = new Set<number>();
  for (let k = 0; k < excerptCount; k++) {
    const target = Math.floor(next() * count);
    if (target !== n) targets.add(target);
  }
  const excerpts = [...targets].map((target) => {
    const other = partsOf(target, seed);
    return [other.title, other.date, ...(other.credit ? [other.credit] : []), '', other.paragraphs[0]!, ''];
  });
  return [
    'header -->',
    `${parts.category}: ${parts.title}`,
    '',
    parts.date,
    ...(parts.credit ? [parts.credit] : []),
    '',
    ...parts.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(excerpts.length ? ['Similar articles', '', ...excerpts.flat()] : []),
  ].join('\n');
}
