-- One writer (src/archive/write/): pages are stored in batches by archive_ingest_batch,
-- which the next migration installs from src/archive/write/archive-write.sql. The
-- per-page functions it replaces go.
DROP FUNCTION archive_ingest_page_reporting(jsonb);
DROP FUNCTION archive_page_footprint(jsonb);
DROP FUNCTION archive_ingest_page(jsonb);
DROP FUNCTION archive_store_article(jsonb, jsonb, jsonb, boolean, int);
DROP FUNCTION archive_replace_mentions(int, jsonb, jsonb);

-- Counts, link weights and the feed's gap-free sequence rely on TrendEvent rows: an
-- article with one can no longer be deleted (it took its event with it).
-- DropForeignKey
ALTER TABLE "TrendEvent" DROP CONSTRAINT "TrendEvent_articleId_fkey";

-- AddForeignKey
ALTER TABLE "TrendEvent" ADD CONSTRAINT "TrendEvent_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
