import { describe, expect, it } from 'vitest';
import { minskLocalTimeToUtc } from '../../src/ingest/minsk-time.ts';
import {
  DocumentRejectedError,
  MAX_CATEGORY_LENGTH,
  MAX_CREDIT_LENGTH,
  MAX_DOCUMENT_BYTES,
  MAX_PAGE_TEXT_BYTES,
  MAX_TITLE_LENGTH,
  parseDocument,
  type RejectionReason,
} from '../../src/ingest/parse-document.ts';
import { CORPUS_FILES, corpusPage, corpusText } from '../support/corpus.ts';
import { asCaptured } from '../support/corrections.ts';

interface ExpectedArticle {
  title: string;
  category: string | null;
  publishedAt: string;
  imageCredit: string | null;
  paragraphCount: number;
  first: string;
  last: string;
}

const IMAGE_LOSSES: ExpectedArticle = {
  title: 'Minsk attempts to make up for image losses from military exercises by opening to Western values',
  category: null,
  publishedAt: '2017-10-02T08:49:00.000Z',
  imageCredit: 'Catholic.by',
  paragraphCount: 4,
  first: 'The Belarusian authorities regard the Catholic conference',
  last: 'In addition, for domestic audiences',
};

// Read off the pages by hand (Minsk was UTC+3 in 2016-2017).
const EXPECTED: Record<string, ExpectedArticle & { related: ExpectedArticle[] }> = {
  '000_b2c48603d87728e6.txt': {
    title: 'Belarusian authorities aspire that Minsk becomes negotiating platform on security issues',
    category: null,
    publishedAt: '2017-05-15T08:57:00.000Z',
    imageCredit: null,
    paragraphCount: 6,
    first: 'Minsk has put geopolitical differences in the region in the spotlight',
    last: 'Overall, the Belarusian authorities hope to shift',
    related: [
      {
        title:
          'Belarusian authorities manoeuvre between repression and liberalization to retain dialogue with Western capitals',
        category: null,
        publishedAt: '2017-05-22T10:36:00.000Z',
        imageCredit: 'Еўрарадыё',
        paragraphCount: 6,
        first: 'Yet Minsk has not decided on the "patriots\' case"',
        last: 'Overall, Minsk is determined to develop relations',
      },
    ],
  },
  '001_b6537f0e3e3bc572.txt': {
    title: 'Belarusian Foreign Ministry requests Kremlin’s support at international fora',
    category: null,
    publishedAt: '2016-04-22T15:34:00.000Z',
    imageCredit: null,
    paragraphCount: 8,
    first: 'On July 10th, Belarus’ Foreign Minister Vladimir Makey paid a working visit',
    last: 'It should be noted that Moscow has always publicly supported Belarus',
    related: [
      {
        title: 'Belarusian and Ukrainian Defence Ministries entangle in confrontation spiral',
        category: null,
        publishedAt: '2017-10-02T08:57:00.000Z',
        imageCredit: 'RFRM',
        paragraphCount: 6,
        first: 'Over the past year, military-political relations between Minsk and Kyiv',
        last: 'The Belarusian Defence Ministry officials are restrained',
      },
    ],
  },
  '002_ba31b9338bb45760.txt': {
    title: 'Minsk’s attempt to benefit from the conflict between Moscow and Washington failed',
    category: null,
    publishedAt: '2016-04-22T14:51:00.000Z',
    imageCredit: null,
    paragraphCount: 6,
    first: 'On 21 November an anonymous source in the military and diplomatic circles',
    last: 'Therefore, the harsh sentence to\u00a0Bialiatski\u00a0has not yet opened',
    related: [IMAGE_LOSSES],
  },
  '003_421bb9339171cead.txt': {
    title: 'Minsk seeks additional security guarantees',
    category: null,
    publishedAt: '2017-05-22T10:45:00.000Z',
    imageCredit: '4esnok.by',
    paragraphCount: 5,
    first: 'Being caught between confronting Russia and the West',
    last: 'Chinese foreign policy is characterized by the lack of desires',
    related: [IMAGE_LOSSES],
  },
  '004_ca7147b99d301a63.txt': {
    title: 'Minsk aims to steer clear of new commitments to Moscow',
    category: 'Security',
    publishedAt: '2017-08-07T09:25:00.000Z',
    imageCredit: 'www.mil.by',
    paragraphCount: 4,
    first: 'Last week, a trend has developed, which manifested in Minsk’s desire',
    last: 'Conventionally, Russia is extremely sensitive to both',
    related: [IMAGE_LOSSES],
  },
};

function expectArticle(actual: ReturnType<typeof parseDocument>['related'][number], expected: ExpectedArticle) {
  expect(actual.title).toBe(expected.title);
  expect(actual.category).toBe(expected.category);
  expect(actual.publishedAt.toISOString()).toBe(expected.publishedAt);
  expect(actual.imageCredit).toBe(expected.imageCredit);
  expect(actual.paragraphs).toHaveLength(expected.paragraphCount);
  expect(actual.paragraphs[0]!.startsWith(expected.first)).toBe(true);
  expect(actual.paragraphs.at(-1)!.startsWith(expected.last)).toBe(true);
}

describe('parseDocument on the bundled corpus', () => {
  it('covers every bundled page', () => {
    expect(CORPUS_FILES).toEqual(Object.keys(EXPECTED));
  });

  for (const file of Object.keys(EXPECTED)) {
    describe(file, () => {
      const parsed = parseDocument(corpusPage(file), file);
      const expected = EXPECTED[file]!;

      it('reads the article fields', () => expectArticle(parsed, expected));

      it('reads every "Similar articles" excerpt in page order', () => {
        expect(parsed.related).toHaveLength(expected.related.length);
        for (const [i, excerpt] of parsed.related.entries()) expectArticle(excerpt, expected.related[i]!);
      });

      it('keeps every paragraph exactly as a line of the page, none invented or dropped', () => {
        const lines = corpusText(file)
          .split('\n')
          .map((line) => line.trim());
        const paragraphs = [parsed, ...parsed.related].flatMap((article) => asCaptured(article).paragraphs);
        for (const paragraph of paragraphs) expect(lines).toContain(paragraph);
        const bodyLines = lines.filter(
          (line) =>
            line.length > 120 && // every body paragraph of these pages is long; titles and labels are not
            !paragraphs.includes(line),
        );
        expect(bodyLines).toEqual([]);
      });

      it('has no warnings', () => expect(parsed.warnings).toEqual([]));

      it('matches its golden parse', async () => {
        await expect(`${JSON.stringify(parsed, null, 2)}\n`).toMatchFileSnapshot(
          `./__golden__/${file.replace('.txt', '.json')}`,
        );
      });
    });
  }
});

function rejection(input: string | Uint8Array): RejectionReason {
  try {
    parseDocument(input, 'input.txt');
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentRejectedError);
    expect((error as Error).message).toMatch(/^input\.txt: /);
    return (error as DocumentRejectedError).reason;
  }
  throw new Error('expected a rejection');
}

describe('parseDocument rejects what it cannot read, naming the reason', () => {
  it.each<[string, string | Uint8Array, RejectionReason]>([
    ['an empty file', '', 'EMPTY'],
    ['only whitespace', ' \n\n\t \r\n', 'EMPTY'],
    ['only scraper residue', 'header -->\n\n', 'EMPTY'],
    ['binary bytes', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), 'NOT_TEXT'],
    ['invalid UTF-8', Uint8Array.from([0x54, 0x69, 0x74, 0x6c, 0x65, 0xc3, 0x28, 0x0a]), 'NOT_TEXT'],
    ['a NUL in text', 'Title\n\nMay 15, 2017 11:57\n\nBody\u0000text', 'NOT_TEXT'],
    ['a title only', 'Minsk seeks additional security guarantees\n', 'NO_DATE'],
    ['no date line', 'A title\n\nA first paragraph without any date above it.\n\nAnother.', 'NO_DATE'],
    ['an impossible date', 'A title\n\nFebruary 30, 2017 11:57\n\nBody.', 'BAD_DATE'],
    ['an impossible hour', 'A title\n\nMay 15, 2017 25:57\n\nBody.', 'BAD_DATE'],
    ['a garbled date', 'A title\n\nMay 1S, 2O17 11:57\n\nBody.', 'BAD_DATE'],
    ['a date before any title', 'May 15, 2017 11:57\n\nBody.', 'NO_TITLE'],
    ['a date and no body', 'A title\nMay 15, 2017 11:57\nPhoto: x.by\n', 'NO_BODY'],
    [
      'an excerpt with an impossible date',
      'T\nMay 15, 2017 11:57\n\nBody.\n\nSimilar articles\n\nE\nApril 31, 2017 10:00\n\nX',
      'BAD_DATE',
    ],
  ])('%s', (_, input, reason) => {
    expect(rejection(input)).toBe(reason);
  });

  it.each<[string, string, RejectionReason, RegExp]>([
    [
      'a title over the limit',
      `${'T'.repeat(MAX_TITLE_LENGTH + 1)}\nMay 15, 2017 11:57\n\nBody.`,
      'TITLE_TOO_LONG',
      /title on line 1 has 501 characters, more than 500/,
    ],
    [
      'an excerpt title over the limit',
      `T\nMay 15, 2017 11:57\n\nBody.\n\nSimilar articles\n\n${'E'.repeat(MAX_TITLE_LENGTH + 1)}\nMay 1, 2017 10:00\n\nX`,
      'TITLE_TOO_LONG',
      /title on line 8/,
    ],
    [
      'a 100,000-character title line',
      `Category: ${'T'.repeat(100_000)}\nMay 15, 2017 11:57\n\nBody.`,
      'TITLE_TOO_LONG',
      /more than 500/,
    ],
    [
      'a category status over the limit',
      `T\nCategory status: ${'c'.repeat(MAX_CATEGORY_LENGTH + 1)}\nMay 15, 2017 11:57\n\nBody.`,
      'CATEGORY_TOO_LONG',
      /category on line 2 has 101 characters/,
    ],
    [
      'an image credit over the limit',
      `T\nMay 15, 2017 11:57\nPhoto: ${'c'.repeat(MAX_CREDIT_LENGTH + 1)}\n\nBody.`,
      'CREDIT_TOO_LONG',
      /image credit on line 3 has 301 characters/,
    ],
    [
      'more text than a page may hold',
      `T\nMay 15, 2017 11:57\n\n${'word '.repeat(MAX_PAGE_TEXT_BYTES / 5 + 1)}\n\nmore`,
      'TEXT_TOO_LONG',
      new RegExp(`hold \\d+ bytes, more than ${MAX_PAGE_TEXT_BYTES}`),
    ],
    ['a title and a credit but no date', 'A title\nPhoto: x.by\n\nBody.', 'NO_DATE', /found "Body\." on line 4/],
  ])('%s', (_, input, reason, message) => {
    expect(rejection(input)).toBe(reason);
    expect(() => parseDocument(input, 'input.txt')).toThrow(message);
  });

  it('a page over 1 MB, as bytes and as text', () => {
    const page = `A title\nMay 15, 2017 11:57\n\n${'x'.repeat(MAX_DOCUMENT_BYTES)}`;
    expect(rejection(page)).toBe('TOO_LARGE');
    expect(rejection(Buffer.from(page))).toBe('TOO_LARGE');
  });
});

describe('parseDocument tolerates the shape varying', () => {
  const BODY = 'Minsk and Vilnius met.';
  it.each([
    ['the credit before the date', 'Title here\nPhoto: www.mil.by\nMay 5, 2017 09:03\n\nMinsk and Vilnius met.'],
    ['the category status after the date', `Title here\nMay 5, 2017 09:03\nCategory status: Economy\n\n${BODY}`],
    [
      'credit, category status and date in reverse order, with blank lines',
      `Title here\n\n\nФото: www.mil.by\n\nCategory status:\n\n\nMay 5, 2017 09:03\n\n\n${BODY}`,
    ],
    ['no category status line, a single-digit day', `Title here\nMay 5, 2017 09:03\n${BODY}`],
    ['header lines before the title', `header -->\nPhoto: www.mil.by\n\nTitle here\n\nMay 5, 2017 09:03\n\n${BODY}`],
    ['a date without the time', `Title here\nMay 5, 2017\n\n${BODY}`],
  ])('reads a page with %s', (_, text) => {
    const parsed = parseDocument(text, 'x.txt');
    expect(parsed.title).toBe('Title here');
    expect(parsed.paragraphs).toEqual([BODY]);
    const minutes = text.includes('09:03') ? 3 : 0;
    expect(parsed.publishedAt).toEqual(
      minskLocalTimeToUtc({ year: 2017, month: 5, day: 5, hour: minutes ? 9 : 0, minute: minutes }),
    );
    expect(parsed.imageCredit === null || parsed.imageCredit === 'www.mil.by').toBe(true);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads header lines around an excerpt date in any order', () => {
    const parsed = parseDocument(
      [
        'Main',
        'May 5, 2017 09:03',
        '',
        'Body.',
        'Similar articles',
        'First excerpt',
        'Image: a.by',
        '',
        'May 1, 2017 10:00',
        'Category status: Security',
        'E1.',
        'Second excerpt',
        'June 2, 2017 11:00',
        'Фото: b.by',
        'E2.',
      ].join('\n'),
      'x.txt',
    );
    expect(parsed.related.map((r) => [r.title, r.imageCredit, r.category, r.paragraphs])).toEqual([
      ['First excerpt', 'a.by', 'Security', ['E1.']],
      ['Second excerpt', 'b.by', null, ['E2.']],
    ]);
  });

  it('dates an excerpt whose header repeats a line above its date (found by the property test)', () => {
    const parsed = parseDocument(
      [
        'Main',
        'May 5, 2017 09:03',
        '',
        'Body.',
        'Similar articles',
        'Excerpt',
        'Image: a.by',
        'Фото: b.by',
        'October 2, 2017 11:49',
        'E1.',
      ].join('\n'),
      'x.txt',
    );
    expect(parsed.related.map((r) => [r.title, r.publishedAt.toISOString(), r.imageCredit, r.paragraphs])).toEqual([
      ['Excerpt', '2017-10-02T08:49:00.000Z', 'a.by', ['E1.']],
    ]);
    expect(parsed.warnings).toEqual(['line 9: a repeated header line above this date was ignored']);
  });

  it('takes a long line that starts like a date for text, not for a bad date', () => {
    const parsed = parseDocument(
      'Title\nMay 5, 2017 09:03\n\nBody.\n\nSimilar articles\n\nExcerpt\nMay 1, 2017 10:00\n\nMay 9 parades in Minsk drew crowds.',
      'x.txt',
    );
    expect(parsed.related[0]!.paragraphs).toEqual(['May 9 parades in Minsk drew crowds.']);
  });

  it('repairs keyboard-layout garble in titles and paragraphs, recording each repair', () => {
    const parsed = parseDocument(
      'Minsk seeks to учеутв its reach\nMay 5, 2017 09:03\n\nA quote: «Мы не допустим». Minsk will учеутв it.',
      'x.txt',
    );
    expect(parsed.title).toBe('Minsk seeks to extend its reach');
    expect(parsed.paragraphs).toEqual(['A quote: «Мы не допустим». Minsk will extend it.']);
    expect(parsed.corrections).toEqual([
      {
        kind: 'KEYBOARD_LAYOUT',
        original: 'учеутв',
        replacement: 'extend',
        field: 'TITLE',
        paragraphIndex: null,
        offset: 15,
      },
      {
        kind: 'KEYBOARD_LAYOUT',
        original: 'учеутв',
        replacement: 'extend',
        field: 'PARAGRAPH',
        paragraphIndex: 0,
        offset: 'A quote: «Мы не допустим». Minsk will '.length,
      },
    ]);
  });

  it('takes the category from a "Category status" value, and credits in any script', () => {
    const parsed = parseDocument(
      'Title here\nCategory status: Economy\nMay 5, 2017 09:03\nФото: 4esnok.by\n\nOne.\n\nTwo.',
      'x',
    );
    expect(parsed).toMatchObject({
      title: 'Title here',
      category: 'Economy',
      imageCredit: '4esnok.by',
      paragraphs: ['One.', 'Two.'],
    });
    expect(parsed.publishedAt.toISOString()).toBe('2017-05-05T06:03:00.000Z');
  });

  it('reads excerpts with blank lines between title and date, and stops at "Recent trends"', () => {
    const parsed = parseDocument(
      [
        'header -->',
        '',
        'Politics: Main title',
        'August 7, 2017 12:25',
        '',
        'Body.',
        '',
        'Similar articles',
        '',
        'First excerpt',
        '',
        'May 1, 2017 10:00',
        'Image: a.by',
        '',
        'E1 p1.',
        '',
        'E1 p2.',
        'Second excerpt',
        'June 2, 2017 11:00',
        'E2 p1.',
        '',
        'Recent trends',
        '',
        'Some trend link',
      ].join('\r\n'),
      'x',
    );
    expect(parsed.category).toBe('Politics');
    expect(parsed.title).toBe('Main title');
    expect(parsed.related.map((r) => [r.title, r.imageCredit, r.paragraphs])).toEqual([
      ['First excerpt', 'a.by', ['E1 p1.', 'E1 p2.']],
      ['Second excerpt', null, ['E2 p1.']],
    ]);
  });

  it('converts Minsk local time to UTC across the old daylight-saving rules', () => {
    expect(minskLocalTimeToUtc({ year: 2008, month: 1, day: 10, hour: 12, minute: 0 }).toISOString()).toBe(
      '2008-01-10T10:00:00.000Z',
    );
    expect(minskLocalTimeToUtc({ year: 2008, month: 7, day: 10, hour: 12, minute: 0 }).toISOString()).toBe(
      '2008-07-10T09:00:00.000Z',
    );
    expect(minskLocalTimeToUtc({ year: 2020, month: 1, day: 10, hour: 12, minute: 0 }).toISOString()).toBe(
      '2020-01-10T09:00:00.000Z',
    );
  });
});
