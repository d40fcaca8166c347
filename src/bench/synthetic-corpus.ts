// Deterministic synthetic pages in the source format (docs/source-format.md), for
// benchmarks and scale tests. Page n of a corpus of N pages with seed S is always the
// same text: titles from policy-analysis phrases, dates spread over ten years (Minsk
// time), credits in Latin, Russian and Belarusian script, 3-8 paragraphs naming actors
// from the gazetteer in their spelling variants plus people the gazetteer does not know,
// and 1-3 "Similar articles" excerpts of other pages of the same corpus.
//
// The one generator: the benchmark, `npm run corpus:synth` and the tests that need more
// pages than the bundled corpus all take their pages from here.

import { GAZETTEER } from '../ingest/gazetteer.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const CATEGORIES = ['Security', 'Politics', 'Economy', 'Foreign policy', 'Society'];
const CREDITS = [
  'Photo: www.mil.by',
  'Image: Catholic.by',
  'Фото: 4esnok.by',
  'Фота: Еўрарадыё',
  'Photo: belta.by',
  'Фото: president.gov.by',
  '',
];
const TITLE_SUBJECTS = [
  'Minsk',
  'Belarusian authorities',
  'The Kremlin',
  'Brussels',
  'Washington',
  'Kyiv',
  'Warsaw',
  'Beijing',
  'Vilnius',
  'The Belarusian Foreign Ministry',
];
const TITLE_VERBS = [
  'seeks',
  'rejects',
  'welcomes',
  'postpones',
  'tests',
  'questions',
  'revives',
  'limits',
  'expands',
  'courts',
];

/**
 * What articles are about. A page has one theme (some far more common than others, as in
 * a real archive): its title and most of its sentences come from it, a few from others.
 * Without themes every page would cover every topic and every query would match
 * nearly the whole archive, which would say nothing about search or related links.
 */
const THEMES: readonly { titles: readonly string[]; topics: readonly string[] }[] = [
  {
    titles: ['new security guarantees', 'joint exercises'],
    topics: [
      'joint military drills',
      'the deployment of tactical weapons',
      'air defence integration',
      'the Union State military doctrine',
    ],
  },
  {
    titles: ['closer economic ties', 'investment from abroad'],
    topics: ['trade quotas', 'potash exports', 'the refinancing of state debt', 'industrial cooperation agreements'],
  },
  {
    titles: ['energy transit deals', 'a new energy policy'],
    topics: ['the energy balance', 'oil transit tariffs', 'gas prices for next year', 'the Astravets nuclear plant'],
  },
  {
    titles: ['a dialogue on human rights', 'an amnesty debate'],
    topics: [
      'political prisoners',
      'the protection of national minorities',
      'freedom of assembly',
      'the death penalty moratorium',
    ],
  },
  {
    titles: ['sanctions relief', 'a review of sanctions'],
    topics: [
      'sectoral sanctions',
      'the export of fertilisers',
      'blacklisted officials',
      'secondary sanctions on banks',
    ],
  },
  {
    titles: ['border arrangements', 'visa liberalisation'],
    topics: ['the visa regime', 'the transit of goods', 'border crossing queues', 'readmission of migrants'],
  },
  {
    titles: ['a role as negotiating platform', 'mediation offers'],
    topics: ['the Minsk agreements', 'ceasefire monitoring', 'the schedule of the next summit', 'prisoner exchanges'],
  },
  {
    titles: ['regional integration', 'Eurasian commitments'],
    topics: [
      'the Eurasian Economic Union budget',
      'customs harmonisation',
      'a single currency proposal',
      'common labour markets',
    ],
  },
  {
    titles: ['Chinese partnership', 'the Great Stone park'],
    topics: [
      'the Great Stone industrial park',
      'Chinese credit lines',
      'Belt and Road logistics',
      'technology transfers',
    ],
  },
  {
    titles: ['military cooperation', 'arms procurement'],
    topics: [
      'arms purchases',
      'a joint regional grouping of forces',
      'military education exchanges',
      'the modernisation of airfields',
    ],
  },
  {
    titles: ['church relations', 'religious diplomacy'],
    topics: ['the status of the Catholic clergy', 'church property', 'pilgrimage routes', 'interfaith councils'],
  },
  {
    titles: ['information security', 'media regulation'],
    topics: [
      'foreign broadcasters',
      'cyber attacks on state agencies',
      'disinformation campaigns',
      'internet shutdowns',
    ],
  },
];
const THEME_TITLES = THEMES.flatMap((theme) => theme.titles);

const PEOPLE_VARIANTS = [
  ['President Lukashenka', 'Alexander Lukashenko', 'Lukashenko', 'Lukashenka'],
  ['Foreign Minister Makei', 'Vladimir Makey', 'Makei', 'Uladzimir Makei'],
  ['Vladimir Putin', 'President Putin', 'Putin'],
  ['Sergei Lavrov', 'Russian Foreign Minister Sergei Lavrov', 'Lavrov'],
];
const NEW_PERSON_TITLES = [
  'Deputy Foreign Minister',
  'Defence Minister',
  'Ambassador',
  'human rights defender',
  'Foreign Minister',
];
const GIVEN = [
  'Oleg',
  'Andrei',
  'Maria',
  'Pavel',
  'Elena',
  'Viktor',
  'Anna',
  'Dmitry',
  'Olga',
  'Ivan',
  'Sergei',
  'Natalia',
  'Yuri',
  'Tatiana',
  'Mikhail',
];
const SURNAMES = [
  'Kravchenko',
  'Novik',
  'Sadovsky',
  'Zhuk',
  'Karpovich',
  'Levitsky',
  'Rudak',
  'Belsky',
  'Gromyko',
  'Shevtsov',
  'Tsikhan',
  'Marchuk',
  'Yermak',
  'Pashkevich',
  'Dubrovsky',
  'Kovalenko',
  'Savitsky',
  'Lisovsky',
  'Orlovsky',
  'Zhdanovich',
  'Baranovsky',
  'Hurski',
  'Melnik',
  'Tkachuk',
  'Sokolovsky',
  'Voronets',
  'Kulesha',
  'Rybak',
  'Bogdanovich',
  'Lukin',
];
const CONNECTIVES = [
  'met',
  'discussed regional security with',
  'criticised',
  'signed an agreement with',
  'called on',
  'held consultations with',
  'warned',
  'praised',
  'exchanged letters with',
  'received a delegation from',
  'was briefed by',
  'urged',
];

/**
 * Everyone a page may name, most prominent first: the people whose spelling varies, the
 * gazetteer's states and organisations, and people the gazetteer does not know (one per
 * surname, each with a title and a given name fixed by the surname).
 */
const ACTOR_POOL: readonly (readonly string[])[] = [
  ...PEOPLE_VARIANTS,
  ...interleave(
    GAZETTEER.filter((entry) => entry.kind !== 'PERSON').map((entry) => [entry.name, ...entry.aliases]),
    SURNAMES.map((surname, i) => [
      `${NEW_PERSON_TITLES[i % NEW_PERSON_TITLES.length]} ${GIVEN[i % GIVEN.length]} ${surname}`,
      surname,
    ]),
  ),
];

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]])
    .flat()
    .filter((item) => item !== undefined) as T[];
}

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

/** Zipf's law with exponent 1 over `size` ranks: rank r (0-based) comes up in proportion to 1/(r+1). */
function zipf(size: number): (uniform: number) => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= size; r++) {
    sum += 1 / r;
    cumulative.push(sum);
  }
  return (uniform) => {
    const target = uniform * sum;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

const themeRank = zipf(THEMES.length);
const actorRank = zipf(ACTOR_POOL.length);

function partsOf(n: number, seed: number): PageParts {
  const next = random(seed * 1_000_003 + n);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const theme = THEMES[themeRank(next())]!;
  // A page is about a few actors, named again and again; now and then someone else.
  const cast = Array.from({ length: 2 + Math.floor(next() * 4) }, () => ACTOR_POOL[actorRank(next())]!);
  const actor = () => (next() < 0.85 ? pick(cast) : ACTOR_POOL[actorRank(next())]!);
  const topic = () => (next() < 0.8 ? pick(theme.topics) : pick(pick(THEMES).topics));
  const sentence = () => {
    const subject = actor();
    let object = actor();
    for (let tries = 0; object === subject && tries < 3; tries++) object = actor();
    return `${pick(subject)} ${pick(CONNECTIVES)} ${pick(object)} on ${topic()}.`;
  };
  const paragraphs = Array.from({ length: 3 + Math.floor(next() * 6) }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, sentence).join(' '),
  );
  return {
    category: pick(CATEGORIES),
    // The page number keeps titles distinct, as real headlines mostly are.
    title: `${pick(TITLE_SUBJECTS)} ${pick(TITLE_VERBS)} ${next() < 0.8 ? pick(theme.titles) : pick(THEME_TITLES)} (${n + 1})`,
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
