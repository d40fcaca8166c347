// What a committed write changed, reported by the write path so that response caches can
// forget exactly that (src/server/response-cache.ts): the archive revisions it committed
// as (see the archive_revision migration) and the rows it wrote or whose answers it
// changed. Ids are database ids.

export interface ArchiveChange {
  /** The revisions the write's transactions committed as (one per transaction). */
  revisions: number[];
  articleIds: number[];
  actorIds: number[];
  categoryIds: number[];
  /** Related links removed or rewritten (their ids are not reused). */
  linkIds: number[];
}

/** One change covering several (e.g. a document and the link refresh of its transaction). */
export function mergeArchiveChanges(...changes: ArchiveChange[]): ArchiveChange {
  const union = (pick: (change: ArchiveChange) => number[]) => [...new Set(changes.flatMap(pick))];
  return {
    revisions: union((change) => change.revisions),
    articleIds: union((change) => change.articleIds),
    actorIds: union((change) => change.actorIds),
    categoryIds: union((change) => change.categoryIds),
    linkIds: union((change) => change.linkIds),
  };
}
