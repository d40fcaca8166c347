// Article.corrections: the repairs the parser made to an article's text, so that a
// client can see (and show) every word that differs from the captured page.

import type { TextCorrection } from '../ingest/keyboard-layout.ts';
import { Article } from './article.ts';
import { builder } from './builder.ts';

const CorrectionKindEnum = builder.enumType('CorrectionKind', {
  description: 'What kind of damage to the captured text a correction repaired.',
  values: {
    KEYBOARD_LAYOUT: {
      description:
        'English typed with a Russian or Belarusian keyboard layout ("учеутв" for "extend"), replaced by the English word on the same keys.',
    },
  },
});

const CorrectionFieldEnum = builder.enumType('CorrectionField', {
  description: 'Which part of an article a correction was made in.',
  values: {
    TITLE: { description: 'The article title.' },
    PARAGRAPH: { description: 'A paragraph of the body; `paragraphIndex` says which.' },
  },
});

const TextCorrectionRef = builder.objectRef<TextCorrection>('TextCorrection').implement({
  description: 'One repair the parser made to the captured text of an article.',
  fields: (t) => ({
    kind: t.field({
      type: CorrectionKindEnum,
      description: 'What was repaired.',
      resolve: (correction) => correction.kind,
    }),
    original: t.exposeString('original', { description: 'The text as captured.' }),
    replacement: t.exposeString('replacement', { description: 'The text the article now holds in its place.' }),
    field: t.field({
      type: CorrectionFieldEnum,
      description: 'Where the repair was made: the title or a paragraph.',
      resolve: (correction) => correction.field,
    }),
    paragraphIndex: t.exposeInt('paragraphIndex', {
      nullable: true,
      description: 'Index (from 0) into `paragraphs` of the repaired paragraph; null for the title.',
    }),
    offset: t.exposeInt('offset', {
      description:
        'Where the replacement starts in that text, in UTF-16 code units (JavaScript string indices); the original had the same length.',
    }),
  }),
});

builder.objectField(Article, 'corrections', (t) =>
  t.field({
    type: [TextCorrectionRef],
    description:
      'Repairs made to the captured title and paragraphs, in text order; empty when the text is exactly as captured.',
    resolve: (article) => article.corrections,
  }),
);
