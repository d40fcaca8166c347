// A batch of prepared pages as archive_ingest_batch (archive-write.sql) reads it, and the
// rule for which pages may share a batch.

import { identityOf, type PagePayload } from './page-payload.ts';

/**
 * Pages that go to separate batches: the same bytes twice, or the same article as the
 * own article of two pages. archive_ingest_batch folds everything else a batch holds
 * (excerpts of one article on many pages, actors and aliases named by many) the way
 * storing the pages one at a time would.
 */
export class BatchBoundary {
  private readonly bytes = new Set<string>();
  private readonly ownArticles = new Set<string>();

  /** Whether the page can join the batch; if so, it is counted in. */
  admit(page: PagePayload): boolean {
    const own = identityOf(page.article);
    if (this.bytes.has(page.sha256) || this.ownArticles.has(own)) return false;
    this.bytes.add(page.sha256);
    this.ownArticles.add(own);
    return true;
  }
}

/** The batch's JSON: every row carries the number of its page, from 1, in batch order. */
export function batchJson(pages: readonly PagePayload[]): string {
  const batch = {
    pages: [] as unknown[],
    articles: [] as unknown[],
    actors: [] as unknown[],
    aliases: [] as unknown[],
    categories: [] as unknown[],
  };
  pages.forEach((payload, index) => {
    const page = index + 1;
    batch.pages.push({
      page,
      sha256: payload.sha256,
      sourceName: payload.sourceName,
      parserVersion: payload.parserVersion,
    });
    batch.articles.push({ page, position: 0, isStub: false, ...payload.article });
    for (const [n, excerpt] of payload.excerpts.entries()) {
      batch.articles.push({ page, position: n + 1, isStub: true, ...excerpt });
    }
    for (const actor of payload.actors) batch.actors.push({ page, ...actor });
    for (const alias of payload.aliases) batch.aliases.push({ page, ...alias });
    for (const category of payload.categories) batch.categories.push({ page, ...category });
  });
  return JSON.stringify(batch);
}
