-- Applies a plan that re-keys people stored under earlier rules for person keys
-- (src/ingest/person-keys.ts computes it at start-up, when the rules have changed):
--
--   * merges: {from, into}: the mentions of `from` are added to those of `into` (counts
--     summed where both were named by one article), its aliases move to `into`, `into`
--     keeps the longer of the two names, and `from` is deleted;
--   * renames: {id, key}: the actor gets its new key (through a temporary key, since two
--     renames may swap keys).
--
-- Actor rows are written under the related-links lock, as archive_ingest_page does, and
-- the merged actors are locked first, so that no ingest adds a mention to an actor about
-- to be deleted (such an ingest waits, then fails and is retried by its caller).
CREATE FUNCTION archive_rekey_people(plan jsonb)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  merge jsonb;
  merged int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7301002);
  PERFORM 1 FROM "Actor"
  WHERE id IN (SELECT (m->>'from')::int FROM jsonb_array_elements(plan->'merges') m)
  ORDER BY id FOR UPDATE;

  FOR merge IN SELECT m FROM jsonb_array_elements(plan->'merges') m LOOP
    INSERT INTO "Mention" ("articleId", "actorId", count)
    SELECT "articleId", (merge->>'into')::int, count FROM "Mention" WHERE "actorId" = (merge->>'from')::int
    ON CONFLICT ("articleId", "actorId") DO UPDATE SET count = "Mention".count + excluded.count;
    DELETE FROM "Mention" WHERE "actorId" = (merge->>'from')::int;
    UPDATE "ActorAlias" SET "actorId" = (merge->>'into')::int WHERE "actorId" = (merge->>'from')::int;
    UPDATE "Actor" kept SET name = gone.name
    FROM "Actor" gone
    WHERE kept.id = (merge->>'into')::int AND gone.id = (merge->>'from')::int
      AND cardinality(string_to_array(gone.name, ' ')) > cardinality(string_to_array(kept.name, ' '));
    DELETE FROM "Actor" WHERE id = (merge->>'from')::int;
    merged := merged + 1;
  END LOOP;

  UPDATE "Actor" a SET key = 'rekey:' || a.id
  FROM jsonb_array_elements(plan->'renames') r WHERE a.id = (r->>'id')::int;
  UPDATE "Actor" a SET key = r->>'key'
  FROM jsonb_array_elements(plan->'renames') r WHERE a.id = (r->>'id')::int;

  -- How many full articles name each actor that absorbed another.
  UPDATE "Actor" a SET "fullArticleCount" = (
    SELECT count(*) FROM "Mention" m JOIN "Article" ar ON ar.id = m."articleId"
    WHERE m."actorId" = a.id AND NOT ar."isStub")
  WHERE a.id IN (SELECT (m->>'into')::int FROM jsonb_array_elements(plan->'merges') m);
  RETURN merged;
END $$;
