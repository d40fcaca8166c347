// Every parser and matcher of a page is linear in its input: crafted inputs are doubled
// from 128 KiB to 1 MiB and the time may grow about eightfold, not 64-fold. And the
// largest page ingestion accepts is parsed, and its actors found, within 100 ms of the
// request thread.
//
// Times are CPU time of this thread (process.cpuUsage), the least of a few runs, so
// other processes on the machine disturb them little.

import { describe, expect, it } from 'vitest';
import {
  candidatePersonKeys,
  findPageActors,
  type KnownPerson,
  personKey,
  readPageText,
} from '../../src/ingest/actors.ts';
import { repairKeyboardLayout } from '../../src/ingest/keyboard-layout.ts';
import {
  DocumentRejectedError,
  MAX_DOCUMENT_BYTES,
  MAX_PAGE_TEXT_BYTES,
  parseDocument,
} from '../../src/ingest/parse-document.ts';
import { countWords, normalizeTitle, slugify } from '../../src/ingest/text.ts';
import { CORPUS_FILES, corpusText } from '../support/corpus.ts';

const KiB = 1024;
/** Doubling up to a page's size limit (a little under it, so the largest is not refused for its size). */
const SIZES = [128 * KiB, 256 * KiB, 512 * KiB, 1024 * KiB - 1000];
/** From 128 KiB to 1 MiB a linear cost grows 8-fold; allow three times that before calling it worse. */
const MAX_GROWTH = 24;
/** Below this, timings are noise. */
const NOISE_MS = 15;

function cpuMilliseconds(run: () => void, attempts = 2): number {
  let least = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}

/** Lets the test runner's messages through between long synchronous measurements. */
const breathe = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `run` on inputs of each size and checks the time grows no faster than linearly. */
async function expectLinear(name: string, makeInput: (bytes: number) => unknown, run: (input: never) => void) {
  const times: number[] = [];
  for (const size of SIZES) {
    const input = makeInput(size);
    times.push(cpuMilliseconds(() => run(input as never)));
    await breathe();
  }
  const growth = times.at(-1)! / Math.max(times[0]!, NOISE_MS / MAX_GROWTH);
  console.log(`${name}: ${times.map((t) => `${t.toFixed(1)} ms`).join(', ')} for 128 KiB to 1 MiB`);
  expect(growth, `${name} grew ${growth.toFixed(1)}-fold`).toBeLessThanOrEqual(MAX_GROWTH);
}

/** A run of `piece(i)` for i = 0, 1, ... joined by `separator`, `bytes` long or a little less. */
function fill(bytes: number, piece: (i: number) => string, separator = ' '): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes - 200; i++) {
    const part = piece(i);
    parts.push(part);
    length += Buffer.byteLength(part) + separator.length;
  }
  return parts.join(separator);
}

/** A distinct, pronounceable, capitalised surname for each number. */
function surname(n: number): string {
  let name = '';
  for (let v = n + 1; v > 0; v = Math.floor(v / 80)) name += 'bdgklmnprstvz'[v % 13]! + 'aeiou'[v % 5]!;
  return `${name[0]!.toUpperCase()}${name.slice(1)}vich`;
}

function paragraphs(text: string): string[] {
  return text.match(/[\s\S]{1,2000}(?: |$)/g) ?? [];
}

/** Sentences of the bundled pages' paragraphs (their long lines). */
const corpusSentences = CORPUS_FILES.flatMap((file) =>
  corpusText(file)
    .split('\n')
    .filter((line) => line.length > 150)
    .flatMap((line) => line.split(/(?<=\.) /)),
);

const parseOrReject = (page: string) => {
  try {
    parseDocument(page, 'crafted.txt');
  } catch (error) {
    if (!(error instanceof DocumentRejectedError)) throw error;
  }
};

describe('parsers and matchers are linear', () => {
  it('normalizeTitle on a title ending in a long run of punctuation (14 s at 100,000 characters before)', async () => {
    await expectLinear('normalizeTitle', (bytes) => `Minsk seeks guarantees${'.'.repeat(bytes)}x`, normalizeTitle);
    await expectLinear(
      'normalizeTitle, run at the end',
      (bytes) => `Minsk seeks guarantees${'.!?'.repeat(bytes / 3)}`,
      normalizeTitle,
    );
  });

  it('slugify and countWords on long texts', async () => {
    await expectLinear(
      'slugify',
      (bytes) => `${'-'.repeat(bytes / 2)}a${'-'.repeat(bytes / 2)}`,
      (text: string) => slugify(text, 10_000),
    );
    await expectLinear('countWords', (bytes) => [fill(bytes, (i) => `word-${i}'s`)], countWords);
  });

  it('parseDocument on crafted pages', async () => {
    const header = 'A title\nMay 15, 2017 11:57\n\nBody.\n\n';
    await expectLinear(
      'parseDocument, many lines',
      (bytes) => header + fill(bytes, (i) => `Line ${i}.`, '\n'),
      parseOrReject,
    );
    await expectLinear(
      'parseDocument, blank lines',
      (bytes) => `${header}Text.${'\n'.repeat(bytes)}End.`,
      parseOrReject,
    );
    await expectLinear(
      'parseDocument, excerpt date lines without titles',
      (bytes) => `${header}Similar articles\n\nAn excerpt\n${fill(bytes, () => 'May 1, 2017 10:00', '\n')}`,
      parseOrReject,
    );
    await expectLinear(
      'parseDocument, many excerpts',
      (bytes) =>
        `${header}Similar articles\n\n${fill(bytes, (i) => `Excerpt ${i}\nPhoto: x.by\nMay 1, 2017 10:00\n\nText ${i}.`, '\n\n')}`,
      parseOrReject,
    );
    await expectLinear(
      'parseDocument, a title of punctuation',
      (bytes) => `${'.'.repeat(bytes - 100)}x\nMay 15, 2017 11:57\n\nBody.`,
      parseOrReject,
    );
    await expectLinear(
      'parseDocument, a category prefix of long words',
      (bytes) => `A${'a'.repeat(bytes / 2 - 100)} b${'b'.repeat(bytes / 2 - 100)} c\nMay 15, 2017 11:57\n\nBody.`,
      parseOrReject,
    );
  });

  it('repairKeyboardLayout on garble and on Russian text', async () => {
    await expectLinear(
      'repairKeyboardLayout, garble',
      (bytes) => fill(bytes / 2, (i) => ['учеутв', 'цщкдв', 'шы', 'ащгтв'][i % 4]!),
      (text: string) => repairKeyboardLayout(text, 'PARAGRAPH', 0),
    );
    await expectLinear(
      'repairKeyboardLayout, Russian',
      (bytes) => fill(bytes / 2, (i) => ['руку', 'помощи', 'Мы', 'не', 'допустим'][i % 5]!),
      (text: string) => repairKeyboardLayout(text, 'PARAGRAPH', 0),
    );
  });

  it('findPageActors on crafted texts', async () => {
    const shapes: Record<string, (i: number) => string> = {
      'officials with titles (30,000 of them froze the server for 95 s)': (i) =>
        `Foreign Minister Ivan ${surname(i)} met.`,
      'capitalised pairs whose surname recurs': (i) => `Gabrielius ${surname(i)} spoke. ${surname(i)} left.`,
      'role nouns': (i) => `his counterpart Zorro ${surname(i)} and`,
      'capitalised words': (i) => `${surname(i)} ${surname(i + 7)}`,
      prose: (i) => corpusSentences[i % corpusSentences.length]!,
    };
    for (const [name, piece] of Object.entries(shapes)) {
      await expectLinear(
        `findPageActors, ${name}`,
        (bytes) => readPageText([paragraphs(fill(bytes, piece))]),
        findPageActors,
      );
    }
    await expectLinear(
      'candidatePersonKeys',
      (bytes) => readPageText([paragraphs(fill(bytes, (i) => `Ivan ${surname(i)}`))]),
      candidatePersonKeys,
    );
  });

  it('findPageActors with more and more known people (8,000 took 5.6 s before)', async () => {
    const people = (count: number): KnownPerson[] =>
      Array.from({ length: count }, (_, i) => ({
        key: personKey(surname(i)),
        name: `Ivan ${surname(i)}`,
        surfaces: [`Ivan ${surname(i)}`, surname(i)],
      }));
    await expectLinear(
      'findPageActors, known people',
      (bytes) => {
        const count = Math.floor(bytes / 64);
        const known = people(count);
        const text = paragraphs(known.map((p) => `${p.name} met ${surname(count - 1)}.`).join(' '));
        return { known, text: readPageText([text]) };
      },
      ({ known, text }: { known: KnownPerson[]; text: ReturnType<typeof readPageText> }) => findPageActors(text, known),
    );
  });
});

describe('the largest accepted page', () => {
  /** A page at the size limit whose text is at the text limit, of the given kind of text. */
  function largestPage(piece: (i: number) => string): string {
    const body = paragraphs(fill(MAX_PAGE_TEXT_BYTES - 1000, piece)).join('\n\n');
    const page = `A title\nMay 15, 2017 11:57\nPhoto: x.by\n\n${body}\n`;
    return page + '\n'.repeat(MAX_DOCUMENT_BYTES - Buffer.byteLength(page));
  }

  it('is parsed and its actors found within 100 ms, whatever its text', async () => {
    const shapes: Record<string, (i: number) => string> = {
      prose: (i) => corpusSentences[i % corpusSentences.length]!,
      officials: (i) => `Foreign Minister Ivan ${surname(i)} met.`,
      'capitalised words': (i) => `${surname(i)} ${surname(i + 7)}`,
      'garble and Cyrillic': (i) => ['учеутв', 'Лукашенко', 'руку', 'ыфтсешщты'][i % 4]!,
    };
    for (const [name, piece] of Object.entries(shapes)) {
      const page = largestPage(piece);
      expect(Buffer.byteLength(page)).toBe(MAX_DOCUMENT_BYTES);
      // What ingestDocument computes before it writes: the parse, the keys to look up, the actors.
      const time = cpuMilliseconds(() => {
        const parsed = parseDocument(page, 'largest.txt');
        const text = readPageText([parsed, ...parsed.related].map((article) => [article.title, ...article.paragraphs]));
        candidatePersonKeys(text);
        findPageActors(text);
      }, 3);
      await breathe();
      console.log(`largest page, ${name}: ${time.toFixed(1)} ms`);
      expect(time, name).toBeLessThan(100);
    }
  });
});
