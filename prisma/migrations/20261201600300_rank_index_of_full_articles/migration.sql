-- The RUM ranking index (20261201500000_search_ranking) holds full articles only. Stubs
-- are searched only on request (includeStubs), and then ranked by a scan; indexing them
-- cost ingestion a RUM insertion for every excerpt, and another when the stub's page
-- arrived and replaced it (RUM has no pending list: each insertion writes the index).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
    DROP INDEX IF EXISTS "Article_searchVector_rank_idx";
    CREATE INDEX "Article_searchVector_rank_idx" ON "Article" USING rum ("searchVector" rum_tsvector_ops)
      WHERE NOT "isStub";
  END IF;
END $$;
