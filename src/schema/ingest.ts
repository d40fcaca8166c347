// The ingestDocument mutation: editors send a captured page, the archive stores it.

import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError } from 'graphql';
import type { Article as ArticleRow } from '../generated/prisma/client.ts';
import { ingestDocument } from '../ingest/ingest-document.ts';
import { DocumentRejectedError } from '../ingest/parse-document.ts';
import { Article } from './article.ts';
import { builder } from './builder.ts';

const IngestOutcomeEnum = builder.enumType('IngestOutcome', {
  values: {
    CREATED: { description: 'The article is new.' },
    UPDATED: { description: 'The article existed (perhaps as a stub) and changed.' },
    UNCHANGED: { description: 'The same document was ingested before; nothing was written.' },
  },
});

const IngestDocumentInput = builder.inputType('IngestDocumentInput', {
  fields: (t) => ({
    text: t.string({ required: true, description: 'The captured page, at most 1 MiB of UTF-8.' }),
    sourceName: t.string({ required: true, description: 'Where the page came from, e.g. its file name.' }),
  }),
});

const IngestDocumentPayload = builder
  .objectRef<{ outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED'; article: ArticleRow; warnings: string[] }>(
    'IngestDocumentPayload',
  )
  .implement({
    fields: (t) => ({
      outcome: t.field({ type: IngestOutcomeEnum, resolve: (payload) => payload.outcome }),
      article: t.field({ type: Article, resolve: (payload) => payload.article }),
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
      'Editor scope: send "Authorization: Bearer <token>". A bad page fails with code DOCUMENT_REJECTED and its reason.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: IngestDocumentInput, required: true }) },
    resolve: async (_root, { input }, context, info) => {
      let result: Awaited<ReturnType<typeof ingestDocument>>;
      try {
        result = await ingestDocument(context.prisma, input.text, input.sourceName);
      } catch (error) {
        if (error instanceof DocumentRejectedError) {
          throw new GraphQLError(`document rejected: ${error.message}`, {
            extensions: { code: 'DOCUMENT_REJECTED', reason: error.reason },
          });
        }
        throw error;
      }
      // Published only now that the transaction has committed.
      if (result.trendSequence !== null) {
        context.trendSignals.publish({ sequence: result.trendSequence });
        // This instance's subscribers need not wait for the signal's round trip (or for
        // Redis to come back, if it is away).
        void context.trendHub.catchUp(result.trendSequence);
      }
      const article = await context.prisma.article.findUniqueOrThrow({
        ...queryFromInfo({ context, info, typeName: 'Article', path: ['article'] }),
        where: { id: result.articleId },
      });
      return { outcome: result.outcome, article, warnings: result.warnings };
    },
  }),
}));
