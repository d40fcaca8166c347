// What the parser repairs and bounds, through the API on each database: keyboard-layout
// garble repaired, recorded on the article and searchable; an archive stored by the
// previous parser updated by re-ingesting; titles and page text bounded with a reason;
// the people a page may introduce capped, with a warning.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/archive/write/writer.ts';
import { MAX_NEW_PEOPLE_PER_PAGE } from '../../src/ingest/actors.ts';
import { MAX_PAGE_TEXT_BYTES, MAX_TITLE_LENGTH, PARSER_VERSION } from '../../src/ingest/parse-document.ts';
import { graphql } from '../generated/gql.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';
import { testTargets } from '../support/databases.ts';
import { page } from '../support/pages.ts';

const GARBLED_PAGE = CORPUS_FILES[0]!; // "renew and учеутв its image"

const ArticlesMatching = graphql(`
  query ArticlesMatching($text: String!) {
    articles(first: 5, filter: { text: $text, includeStubs: true }) {
      totalCount
      edges {
        node {
          title
          paragraphs
          corrections { kind original replacement field paragraphIndex offset }
        }
      }
    }
  }
`);

const Ingest = graphql(`
  mutation IngestForRepairs($input: IngestDocumentInput!) {
    ingestDocument(input: $input) {
      outcome
      warnings
      article { title corrections { original replacement field paragraphIndex } }
    }
  }
`);

/** Distinct lower-case words (and hyphenated pairs of them), as many as fit in `bytes`. */
function distinctWords(bytes: number): string[] {
  const paragraphs: string[] = [];
  let words: string[] = [];
  let size = 0;
  for (let n = 0; ; n++) {
    let word = '';
    for (let v = n + 26 * 26; v > 0; v = Math.floor(v / 26)) word += String.fromCharCode(97 + (v % 26));
    if (n % 3 === 0) word += `-${word.split('').reverse().join('')}`;
    if (size + word.length + 3 > bytes) break;
    words.push(word);
    size += word.length + 1;
    if (words.length === 500) {
      paragraphs.push(words.join(' '));
      size += 2;
      words = [];
    }
  }
  if (words.length) paragraphs.push(words.join(' '));
  return paragraphs;
}

for (const target of await testTargets()) {
  describe(`text repairs and bounds on ${target}`, () => {
    let api: TestApi;
    let token: string;
    beforeAll(async () => {
      api = await createTestApi(target);
      token = await api.editorToken();
    });
    afterAll(async () => api.close());

    it('stores the repaired "extend" with its correction, and search finds it', async () => {
      const { articles } = await api.data(ArticlesMatching, { text: '"renew and extend its image"' });
      expect(articles.totalCount).toBe(1);
      const article = articles.edges[0]!.node;
      expect(article.paragraphs[0]).toContain('attempting to renew and extend its image');
      expect(article.corrections).toEqual([
        {
          kind: 'KEYBOARD_LAYOUT',
          original: 'учеутв',
          replacement: 'extend',
          field: 'PARAGRAPH',
          paragraphIndex: 0,
          offset: article.paragraphs[0]!.indexOf('extend its image'),
        },
      ]);
      expect((await api.data(ArticlesMatching, { text: 'учеутв' })).articles.totalCount).toBe(0);
    });

    it('updates an article stored by the previous parser when its page is ingested again', async () => {
      // What the archive held before: the garbled word, no corrections, parser version 1.
      await api.db.prisma.$executeRaw`
        UPDATE "Article" SET paragraphs[1] = replace(paragraphs[1], 'renew and extend', 'renew and учеутв'),
          corrections = '[]'
        WHERE paragraphs[1] LIKE '%renew and extend%'`;
      await api.db.prisma.$executeRaw`
        UPDATE "Article" SET body = array_to_string(paragraphs, E'\n\n') WHERE paragraphs[1] LIKE '%учеутв%'`;
      await api.db.prisma.$executeRaw`UPDATE "SourceDocument" SET "parserVersion" = ${PARSER_VERSION - 1}`;
      expect((await api.data(ArticlesMatching, { text: '"renew and extend its image"' })).articles.totalCount).toBe(0);

      const result = await ingestDocument(api.db.prisma, corpusPage(GARBLED_PAGE), GARBLED_PAGE);
      expect(result.outcome).toBe('UPDATED');
      const { articles } = await api.data(ArticlesMatching, { text: '"renew and extend its image"' });
      expect(articles.totalCount).toBe(1);
      expect(articles.edges[0]!.node.corrections.map((c) => c.original)).toEqual(['учеутв']);
      // And once more: the same bytes under the same parser change nothing.
      expect((await ingestDocument(api.db.prisma, corpusPage(GARBLED_PAGE), GARBLED_PAGE)).outcome).toBe('UNCHANGED');
    });

    it('repairs a garbled title through the mutation and says where', async () => {
      const { ingestDocument: payload } = await api.data(
        Ingest,
        {
          input: {
            text: page('Minsk seeks to учеутв its reach', 'March 3, 2021 10:00', ['Minsk said so.']),
            sourceName: 'garbled-title.txt',
          },
        },
        { token },
      );
      expect(payload.article.title).toBe('Minsk seeks to extend its reach');
      expect(payload.article.corrections).toEqual([
        { original: 'учеутв', replacement: 'extend', field: 'TITLE', paragraphIndex: null },
      ]);
    });

    it('rejects a very long title with TITLE_TOO_LONG (it was a 500), and stores one at the limit', async () => {
      // 10,000 characters: PostgreSQL refused the index row ("index row size exceeds btree maximum").
      const long = await api.execute(
        Ingest,
        { input: { text: page('A'.repeat(10_000), 'May 1, 2017 10:00', ['Body.']), sourceName: 'long.txt' } },
        { token },
      );
      expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'DOCUMENT_REJECTED', reason: 'TITLE_TOO_LONG' });
      expect(long.errors?.[0]?.message).toMatch(/has 10000 characters, more than 500/);

      // The widest title: 500 UTF-16 code units hold at most 1,500 bytes of UTF-8 (three-byte
      // letters such as 中), which the identity index takes (PostgreSQL's limit is about 2,700).
      const widest = '中'.repeat(MAX_TITLE_LENGTH);
      const stored = await api.data(
        Ingest,
        { input: { text: page(widest, 'May 1, 2017 10:00', ['Body.']), sourceName: 'wide.txt' } },
        { token },
      );
      expect(stored.ingestDocument).toMatchObject({ outcome: 'CREATED', article: { title: widest } });
    });

    it('indexes the most text a page may hold, and rejects more with TEXT_TOO_LONG', async () => {
      // Distinct words, and a marker at the very end to show the whole text is indexed.
      const paragraphs = [...distinctWords(MAX_PAGE_TEXT_BYTES - 300), 'quokkaterminus'];
      const largest = await api.data(
        Ingest,
        { input: { text: page('The largest page', 'May 2, 2017 10:00', paragraphs), sourceName: 'max.txt' } },
        { token },
      );
      expect(largest.ingestDocument.outcome).toBe('CREATED');
      expect((await api.data(ArticlesMatching, { text: 'quokkaterminus' })).articles.totalCount).toBe(1);

      // One byte over: the title and paragraphs count, not the blank lines between them.
      const held = Buffer.byteLength(`Too large${paragraphs.join('')}`);
      const tooLarge = await api.execute(
        Ingest,
        {
          input: {
            text: page('Too large', 'May 3, 2017 10:00', [...paragraphs, 'x'.repeat(MAX_PAGE_TEXT_BYTES - held + 1)]),
            sourceName: 'over.txt',
          },
        },
        { token },
      );
      expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'DOCUMENT_REJECTED', reason: 'TEXT_TOO_LONG' });
    });

    it('links at most the capped number of new people from one page and says so', async () => {
      const surnames = Array.from({ length: MAX_NEW_PEOPLE_PER_PAGE + 50 }, (_, n) => {
        let name = '';
        for (let v = n + 100; v > 0; v = Math.floor(v / 7)) name += 'bdklmnrstvz'[v % 11]! + 'aeiou'[v % 5]!;
        return `${name[0]!.toUpperCase()}${name.slice(1)}vich`;
      });
      const sentences = surnames.map((surname) => `Foreign Minister Ivan ${surname} met the press.`);
      const before = await api.db.prisma.actor.count({ where: { kind: 'PERSON' } });
      const { ingestDocument: payload } = await api.data(
        Ingest,
        {
          input: { text: page('A crowded page', 'May 4, 2017 10:00', [sentences.join(' ')]), sourceName: 'c.txt' },
        },
        { token },
      );
      expect(payload.warnings).toEqual([
        `the page names ${surnames.length} people the archive does not know; the first ${MAX_NEW_PEOPLE_PER_PAGE} are linked as actors, 50 are left as plain text`,
      ]);
      expect((await api.db.prisma.actor.count({ where: { kind: 'PERSON' } })) - before).toBe(MAX_NEW_PEOPLE_PER_PAGE);
    });
  });
}
