// Small synthetic pages in the source format, for tests that need more than five
// articles (paging, statement counts). Deterministic: page n is always the same.

const ACTOR_PHRASES = [
  'Minsk',
  'the Kremlin',
  'Moscow',
  'Washington',
  'Brussels',
  'Beijing',
  'Kyiv',
  'NATO',
  'the EU',
  'the OSCE',
  'President Lukashenka',
  'Foreign Minister Makei',
  'Sergei Lavrov',
  'Warsaw',
  'Vilnius',
];
const CATEGORIES = ['Security', 'Economy', 'Politics'];
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

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!;
}

function dateLine(n: number): string {
  return `${pick(MONTHS, n * 7)} ${(n % 27) + 1}, ${2012 + (n % 6)} ${String(n % 24).padStart(2, '0')}:${String((n * 13) % 60).padStart(2, '0')}`;
}

function syntheticTitle(n: number): string {
  return `Synthetic analysis number ${n} of regional security`;
}

/** Page n: a category prefix, 3 paragraphs naming actors, and excerpts of pages n+1, n+2. */
export function syntheticPage(n: number): string {
  const paragraphs = [0, 1, 2].map(
    (p) =>
      `Paragraph ${p} of analysis ${n}: ${pick(ACTOR_PHRASES, n + p)} and ${pick(ACTOR_PHRASES, n * 3 + p)} discussed Minsk's position with ${pick(ACTOR_PHRASES, n * 5 + p)}.`,
  );
  const excerpts = [n + 1, n + 2].flatMap((m) => [
    syntheticTitle(m),
    dateLine(m),
    '',
    `Excerpt of analysis ${m}: ${pick(ACTOR_PHRASES, m)} again.`,
    '',
  ]);
  return [
    `${pick(CATEGORIES, n)}: ${syntheticTitle(n)}`,
    '',
    dateLine(n),
    'Photo: example.by',
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    'Similar articles',
    '',
    ...excerpts,
  ].join('\n');
}
