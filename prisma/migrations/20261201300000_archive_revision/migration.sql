-- What a write changed, for the response caches of every server instance
-- (src/server/response-cache.ts):
--
--   * "ArchiveRevision" holds one number that every transaction writing archive data
--     raises by one before it commits. A cache that has heard of every revision up to the
--     current one (through the signals of src/feed/archive-changes.ts) may serve what it
--     holds; one that has not, may not. The row lock orders the revisions as the commits:
--     the writers already hold the related-links lock (7301002) when they raise it, so it
--     adds no waiting.
--   * archive_ingest_page_reporting wraps archive_ingest_page, unchanged, and reports the
--     rows a page's write touched, by looking at the page's articles before and after it:
--     the articles (the page's own and its excerpts' stubs), the actors they name (before
--     and after, so an actor dropped from an article is reported too), their categories,
--     and the related links from or to them.

-- CreateTable
CREATE TABLE "ArchiveRevision" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ArchiveRevision_pkey" PRIMARY KEY ("id")
);

INSERT INTO "ArchiveRevision" (id, revision) VALUES (1, 0);

CREATE FUNCTION archive_next_revision()
RETURNS int LANGUAGE sql AS $$
  UPDATE "ArchiveRevision" SET revision = revision + 1 WHERE id = 1 RETURNING revision;
$$;

-- The rows whose answers a page's write may change, as they stand now.
CREATE FUNCTION archive_page_footprint(page jsonb)
RETURNS TABLE (article_ids int[], actor_ids int[], category_ids int[], link_ids int[]) LANGUAGE sql AS $$
  WITH wanted AS (
    SELECT p->>'normalizedTitle' AS normalized_title, (p->>'publishedAt')::timestamptz AS published_at
    FROM jsonb_array_elements(jsonb_build_array(page->'article') || coalesce(page->'excerpts', '[]'::jsonb)) p
  ), articles AS (
    SELECT a.id, a."categoryId" FROM "Article" a
    JOIN wanted w ON a."normalizedTitle" = w.normalized_title AND a."publishedAt" = w.published_at
  )
  SELECT
    ARRAY(SELECT id FROM articles),
    ARRAY(SELECT m."actorId" FROM "Mention" m WHERE m."articleId" IN (SELECT id FROM articles)
          UNION SELECT ac.id FROM "Actor" ac WHERE ac.key IN (SELECT a->>'key' FROM jsonb_array_elements(page->'actors') a)),
    ARRAY(SELECT "categoryId" FROM articles WHERE "categoryId" IS NOT NULL
          UNION SELECT c.id FROM "Category" c WHERE c.slug IN (SELECT x->>'slug' FROM jsonb_array_elements(page->'categories') x)),
    ARRAY(SELECT l.id FROM "RelatedLink" l WHERE l."sourceId" IN (SELECT id FROM articles)
          UNION SELECT l.id FROM "RelatedLink" l WHERE l."targetId" IN (SELECT id FROM articles));
$$;

CREATE FUNCTION archive_ingest_page_reporting(page jsonb)
RETURNS TABLE (outcome text, article_id int, trend_sequence int, revision int,
               touched_article_ids int[], touched_actor_ids int[], touched_category_ids int[], touched_link_ids int[])
LANGUAGE plpgsql AS $$
DECLARE
  identity text;
  before record;
  written record;
  after record;
BEGIN
  -- archive_ingest_page's own first locks, taken before the first look so that no other
  -- ingest changes the page's articles between this look and the write (advisory locks
  -- are re-entrant: taking them again inside costs nothing).
  FOR identity IN SELECT jsonb_array_elements_text(page->'identities') ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(identity, 0));
  END LOOP;
  SELECT * INTO before FROM archive_page_footprint(page);
  SELECT * INTO written FROM archive_ingest_page(page);
  SELECT * INTO after FROM archive_page_footprint(page);
  RETURN QUERY SELECT written.outcome, written.article_id, written.trend_sequence, archive_next_revision(),
    ARRAY(SELECT DISTINCT unnest(before.article_ids || after.article_ids)),
    ARRAY(SELECT DISTINCT unnest(before.actor_ids || after.actor_ids)),
    ARRAY(SELECT DISTINCT unnest(before.category_ids || after.category_ids)),
    ARRAY(SELECT DISTINCT unnest(before.link_ids || after.link_ids));
END $$;
