-- Search ranks by the query's positive words: those it does not exclude with "-".
-- ts_rank of a query that excludes a word ranked every match 1e-20, so "Kremlin -Syria"
-- came back in no order. archive_ranking_query keeps the positive words of a tsquery,
-- joined by OR: querytree() drops the excluded ones, and each remaining lexeme is taken
-- as printed, quotes and escapes included. Null when the query has no positive word.
CREATE FUNCTION archive_ranking_query(query tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(DISTINCT m[1], ' | ')::tsquery
  FROM regexp_matches(querytree(query), '(''(?:[^'']|'''')*'')', 'g') AS m
$$;

-- Where the RUM extension is installed (the Debian package postgresql-15-rum; .ci/run
-- installs it), an index that returns matches in rank order, so a page of the best
-- matches costs the matches' scores read from the index instead of ranking every
-- matching row. PGlite has no RUM: there every match is ranked (fine at embedded sizes).
-- src/archive/article-queries.ts looks for this index by name.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
    CREATE EXTENSION IF NOT EXISTS rum;
    CREATE INDEX "Article_searchVector_rank_idx" ON "Article" USING rum ("searchVector" rum_tsvector_ops);
  END IF;
END $$;
