// The ingestDocument mutation: editors send a captured page, the archive stores it.

import { GraphQLError } from 'graphql';
import type { ArticleRecord } from '../archive/article-reader.ts';
import type { IngestResult } from '../archive/write/writer.ts';
import { DocumentRejectedError } from '../ingest/parse-document.ts';
import { Article } from './article.ts';
import { articleShapeAt } from './article-shape.ts';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';

const IngestOutcomeEnum = builder.enumType('IngestOutcome', {
  description: 'What ingesting a page did.',
  values: {
    CREATED: { description: 'The article is new.' },
    UPDATED: { description: 'The article existed (perhaps as a stub) and changed.' },
    UNCHANGED: { description: 'The same document was ingested before; nothing was written.' },
  },
});

const IngestDocumentInput = builder.inputType('IngestDocumentInput', {
  description: 'A captured page to store in the archive.',
  fields: (t) => ({
    text: t.string({
      required: true,
      ...bounded(
        BOUNDS.document,
        'The captured page as plain text, in the source format (title, date line, paragraphs, "Similar articles"). A larger one is refused with code DOCUMENT_REJECTED and reason TOO_LARGE.',
      ),
    }),
    sourceName: t.string({
      required: true,
      ...bounded(BOUNDS.sourceName, 'Where the page came from, e.g. its file name; kept as `SourceDocument.name`.'),
    }),
  }),
});

const IngestDocumentPayload = builder
  .objectRef<{ outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED'; article: ArticleRecord; warnings: string[] }>(
    'IngestDocumentPayload',
  )
  .implement({
    description: 'The result of ingesting a page.',
    fields: (t) => ({
      outcome: t.field({
        type: IngestOutcomeEnum,
        description: 'What the ingest changed.',
        resolve: (payload) => payload.outcome,
      }),
      article: t.field({
        type: Article,
        description: "The page's article, as stored now (also when nothing changed).",
        resolve: (payload) => payload.article,
      }),
      warnings: t.exposeStringList('warnings', {
        description:
          'Oddities of the page that were tolerated, in English: ignored lines, or people beyond the 100 a page may introduce (left as plain text). Empty for a clean page.',
      }),
    }),
  });

builder.mutationFields((t) => ({
  ingestDocument: t.field({
    type: IngestDocumentPayload,
    description:
      'Stores a captured page: its article, the excerpts of its "Similar articles" (as linked stubs) and the actors it names, all in one transaction. Needs a token with the editor scope ("Authorization: Bearer <token>"; else UNAUTHENTICATED or FORBIDDEN). A page that cannot be read fails with code DOCUMENT_REJECTED and a `reason` (EMPTY, NOT_TEXT, TOO_LARGE, NO_TITLE, NO_DATE, BAD_DATE, NO_BODY), and nothing of it is stored.',
    authScopes: { editor: true },
    args: {
      input: t.arg({ type: IngestDocumentInput, required: true, description: 'The page and where it came from.' }),
    },
    resolve: async (_root, { input }, context, info) => {
      let result: IngestResult;
      const started = performance.now();
      const took = () => (performance.now() - started) / 1000;
      try {
        // The writer signals the commit (caches forget, the live feed hears) before it answers.
        result = await context.archiveWriter.ingestDocument(input.text, input.sourceName, {
          deadline: context.deadline,
        });
      } catch (error) {
        if (error instanceof DocumentRejectedError) {
          context.ingestHooks.observed('REJECTED', took());
          throw new GraphQLError(`document rejected: ${error.message}`, {
            extensions: { code: 'DOCUMENT_REJECTED', reason: error.reason },
          });
        }
        context.ingestHooks.observed('FAILED', took());
        throw error;
      }
      context.ingestHooks.observed(result.outcome, took());
      const article = await context.loaders.articlesById(articleShapeAt(info, ['article'])).load(result.articleId);
      if (!article) throw new Error(`article ${result.articleId} vanished right after its ingest`);
      return { outcome: result.outcome, article, warnings: result.warnings };
    },
  }),
}));
