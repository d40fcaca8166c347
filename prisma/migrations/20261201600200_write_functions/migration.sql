-- Generated from src/archive/write/archive-write.sql by `npm run db:write-migration`:
-- edit the source and generate again, never this file.

-- The archive's writes, as PL/pgSQL. This file is the source: migrations are generated
-- from it (`npm run db:write-migration`), and a test checks that every function in a
-- migrated database equals its definition here. Edit here, then generate.
--
-- Locking model (docs/architecture.md): every transaction that writes archive rows
-- (ingests, computed-link refreshes, re-keying people) first takes the one archive writer
-- lock, archive_lock_writer(), and holds it to its commit. Writers therefore never wait
-- on each other's row locks or deadlock, commits happen in the order the locks were
-- granted, and trend sequences, allocated under the lock, commit in sequence order with
-- no gap. Readers take no lock. A batch of pages is one set-based write, so serialising
-- writers costs bulk ingestion nothing; a single page waits for at most the batch ahead.

-- The archive writer lock, held to the commit. Its number is used nowhere else.
CREATE OR REPLACE FUNCTION archive_lock_writer()
RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(7301002);
$$;

-- The pages of a batch (see archive_ingest_batch), numbered by `page`.
CREATE OR REPLACE FUNCTION archive_batch_pages(batch jsonb)
RETURNS TABLE (page int, sha256 text, "sourceName" text, "parserVersion" int)
LANGUAGE sql IMMUTABLE AS $$
  SELECT * FROM jsonb_to_recordset(batch->'pages') AS p(page int, sha256 text, "sourceName" text, "parserVersion" int)
$$;

-- The articles of a batch's pages: `position` 0 is a page's own article (never a stub),
-- 1.. its excerpts in page order (stubs), so (page, position) orders every event.
CREATE OR REPLACE FUNCTION archive_batch_articles(batch jsonb)
RETURNS TABLE (page int, "position" int, "isStub" boolean, title text, "normalizedTitle" text,
               "publishedAt" timestamptz, "categorySlug" text, "imageCredit" text, paragraphs text[],
               body text, "wordCount" int, slugs text[], corrections jsonb, mentions jsonb)
LANGUAGE sql IMMUTABLE AS $$
  SELECT * FROM jsonb_to_recordset(batch->'articles') AS a(
    page int, "position" int, "isStub" boolean, title text, "normalizedTitle" text, "publishedAt" timestamptz,
    "categorySlug" text, "imageCredit" text, paragraphs text[], body text, "wordCount" int, slugs text[],
    corrections jsonb, mentions jsonb)
$$;

-- The actors, categories and related links whose answers a write to these articles may
-- change, as they stand now (for the response caches of every server instance).
CREATE OR REPLACE FUNCTION archive_footprint(article_ids int[])
RETURNS TABLE (actor_ids int[], category_ids int[], link_ids int[])
LANGUAGE sql STABLE AS $$
  SELECT
    ARRAY(SELECT DISTINCT "actorId" FROM "Mention" WHERE "articleId" = ANY(article_ids)),
    ARRAY(SELECT DISTINCT "categoryId" FROM "Article" WHERE id = ANY(article_ids) AND "categoryId" IS NOT NULL),
    ARRAY(SELECT id FROM "RelatedLink" WHERE "sourceId" = ANY(article_ids)
          UNION SELECT id FROM "RelatedLink" WHERE "targetId" = ANY(article_ids))
$$;

-- Raises the archive's revision (table "ArchiveRevision"): every writing transaction
-- does, once, before it commits, so that response caches can tell whether they have heard
-- of every write (src/server/response-cache.ts).
CREATE OR REPLACE FUNCTION archive_next_revision()
RETURNS int LANGUAGE sql AS $$
  UPDATE "ArchiveRevision" SET revision = revision + 1 WHERE id = 1 RETURNING revision;
$$;

-- Stores a batch of parsed pages in one transaction, with set-based statements, leaving
-- the archive exactly as storing them one at a time, in batch order, would. The batch is
-- prepared by src/archive/write/batch.ts (parsing, actor resolution and slugs stay in
-- TypeScript), which guarantees: no two pages with the same bytes, and no article that is
-- the own article of two pages (such pages go to separate batches). The rules:
--
--   * the same bytes with the same parser version again change nothing (UNCHANGED);
--   * an article is identified by (normalizedTitle, publishedAt); a page's own article
--     replaces a stub of itself, and reports UPDATED only if something visible changed;
--   * each excerpt becomes a stub, or links to the article it already is; a stub keeps the
--     longest excerpt seen (the first of equals); a full article is never replaced by an
--     excerpt of itself;
--   * editorial links follow page order; changing them drops the computed links, which
--     the caller recomputes (src/archive/write/computed-links.ts);
--   * new actors, aliases and categories belong to the first page naming them; an actor
--     whose slug another holds carries its key in the slug; a surface form belongs to the
--     first actor that claimed it; a person keeps the name of the most words seen;
--   * Actor."fullArticleCount" counts the full articles naming each actor;
--   * a trend event is appended, with a gap-free sequence in page order, when an article
--     first becomes available in full.
--
-- Anything the set-based statements cannot settle the way one-at-a-time storage would
-- (two new articles wanting the same slug, say) fails the batch, and the caller stores
-- its pages one by one. Returns the outcome of each page, the revision and the rows the
-- write touched.
CREATE OR REPLACE FUNCTION archive_ingest_batch(batch jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  seen jsonb;
  before record;
  after record;
  first_sequence int;
  pages jsonb;
BEGIN
  PERFORM archive_lock_writer();

  -- Pages stored before byte for byte: {page: article id}. They write nothing.
  SELECT coalesce(jsonb_object_agg(p.page, s."articleId"), '{}') INTO seen
  FROM archive_batch_pages(batch) p
  JOIN "SourceDocument" s ON s.sha256 = p.sha256 AND s."parserVersion" = p."parserVersion";
  IF (SELECT count(*) FROM archive_batch_pages(batch)) = (SELECT count(*) FROM jsonb_object_keys(seen)) THEN
    RETURN jsonb_build_object('revision', NULL, 'pages',
      (SELECT jsonb_agg(jsonb_build_object('page', p.page, 'outcome', 'UNCHANGED', 'articleId', seen->(p.page::text),
                                           'trendSequence', NULL) ORDER BY p.page)
       FROM archive_batch_pages(batch) p));
  END IF;

  INSERT INTO "Category" (slug, name)
  SELECT slug, name FROM (
    SELECT DISTINCT ON (c.slug) c.slug, c.name, c.page
    FROM jsonb_to_recordset(batch->'categories') AS c(page int, slug text, name text)
    WHERE NOT seen ? c.page::text AND NOT EXISTS (SELECT 1 FROM "Category" WHERE slug = c.slug)
    ORDER BY c.slug, c.page
  ) firsts ORDER BY page, slug;

  INSERT INTO "Actor" (key, name, kind, slug)
  SELECT key, name, kind::"ActorKind",
    CASE WHEN taken OR row_number() OVER (PARTITION BY slug ORDER BY page, key) > 1 THEN "fallbackSlug" ELSE slug END
  FROM (
    SELECT DISTINCT ON (a.key) a.*, EXISTS (SELECT 1 FROM "Actor" WHERE slug = a.slug) AS taken
    FROM jsonb_to_recordset(batch->'actors') AS a(page int, key text, name text, kind text, slug text, "fallbackSlug" text)
    WHERE NOT seen ? a.page::text AND NOT EXISTS (SELECT 1 FROM "Actor" WHERE key = a.key)
    ORDER BY a.key, a.page
  ) fresh ORDER BY page, key;

  -- A person first seen by surname alone gets their full name once a page gives it.
  UPDATE "Actor" ac SET name = longest.name
  FROM (
    SELECT DISTINCT ON (a.key) a.key, a.name
    FROM jsonb_to_recordset(batch->'actors') AS a(page int, key text, name text, kind text)
    WHERE NOT seen ? a.page::text AND a.kind = 'PERSON'
    ORDER BY a.key, cardinality(string_to_array(a.name, ' ')) DESC, a.page
  ) longest
  WHERE ac.key = longest.key AND ac.kind = 'PERSON'
    AND cardinality(string_to_array(longest.name, ' ')) > cardinality(string_to_array(ac.name, ' '));

  INSERT INTO "ActorAlias" (surface, slug, "actorId")
  SELECT firsts.surface, firsts.slug, ac.id FROM (
    SELECT DISTINCT ON (a.surface) a.*
    FROM jsonb_to_recordset(batch->'aliases') AS a(page int, surface text, slug text, "actorKey" text)
    WHERE NOT seen ? a.page::text ORDER BY a.surface, a.page
  ) firsts JOIN "Actor" ac ON ac.key = firsts."actorKey"
  WHERE NOT EXISTS (SELECT 1 FROM "ActorAlias" WHERE surface = firsts.surface)
  -- Code-unit order, as the pages list them (page-payload.ts): a person's aliases read
  -- back in this order, the order known-people.ts assumes.
  ORDER BY firsts.page, firsts.surface COLLATE "C";

  -- What becomes of each article the batch names: the event (page, position) whose text
  -- it ends with (none: the row is not rewritten), and whose mentions.
  IF to_regclass('pg_temp.archive_batch_plan') IS NULL THEN
    CREATE TEMP TABLE archive_batch_plan (
      "normalizedTitle" text NOT NULL,
      "publishedAt" timestamptz NOT NULL,
      existing_id int,
      existing_is_stub boolean,
      first_page int NOT NULL,         -- the first event naming the article
      first_position int NOT NULL,
      own_page int,                    -- the page whose own article it is
      content_page int,                -- the event whose text the row ends with
      content_position int,
      changed boolean NOT NULL,        -- a visible change to an existing full article
      article_id int,
      targets int[],                   -- own_page's editorial links, in order
      links_changed boolean NOT NULL DEFAULT false
    ) ON COMMIT DELETE ROWS;
  END IF;
  DELETE FROM archive_batch_plan; -- a batch earlier in this transaction

  INSERT INTO archive_batch_plan ("normalizedTitle", "publishedAt", existing_id, existing_is_stub, first_page,
    first_position, own_page, content_page, content_position, changed)
  WITH events AS (
    SELECT * FROM archive_batch_articles(batch) a WHERE NOT seen ? a.page::text
  ), firsts AS (
    SELECT DISTINCT ON ("normalizedTitle", "publishedAt") "normalizedTitle", "publishedAt", page, "position"
    FROM events ORDER BY "normalizedTitle", "publishedAt", page, "position"
  ), longest_excerpts AS (
    SELECT DISTINCT ON ("normalizedTitle", "publishedAt") * FROM events WHERE "isStub"
    ORDER BY "normalizedTitle", "publishedAt", length(body) DESC, page, "position"
  ), planned AS (
    SELECT f.*, x.id AS existing_id, x."isStub" AS existing_is_stub, own.page AS own_page,
      x.id IS NOT NULL AND NOT x."isStub" AND own.page IS NOT NULL AND (
        x.title <> own.title
        OR x."categoryId" IS DISTINCT FROM (SELECT id FROM "Category" WHERE slug = own."categorySlug")
        OR x."imageCredit" IS DISTINCT FROM own."imageCredit"
        OR x.paragraphs <> own.paragraphs) AS changed,
      x.id IS NULL OR (x."isStub" AND length(e.body) > length(x.body)) AS excerpt_wins,
      e.page AS excerpt_page, e."position" AS excerpt_position
    FROM firsts f
    LEFT JOIN "Article" x ON x."normalizedTitle" = f."normalizedTitle" AND x."publishedAt" = f."publishedAt"
    LEFT JOIN events own ON NOT own."isStub"
      AND own."normalizedTitle" = f."normalizedTitle" AND own."publishedAt" = f."publishedAt"
    LEFT JOIN longest_excerpts e ON e."normalizedTitle" = f."normalizedTitle" AND e."publishedAt" = f."publishedAt"
  )
  SELECT "normalizedTitle", "publishedAt", existing_id, existing_is_stub, page, "position", own_page,
    CASE WHEN own_page IS NOT NULL THEN CASE WHEN existing_id IS NULL OR existing_is_stub OR changed THEN own_page END
         WHEN excerpt_wins THEN excerpt_page END,
    CASE WHEN own_page IS NOT NULL THEN CASE WHEN existing_id IS NULL OR existing_is_stub OR changed THEN 0 END
         WHEN excerpt_wins THEN excerpt_position END,
    changed
  FROM planned;
  IF EXISTS (SELECT 1 FROM archive_batch_plan GROUP BY "normalizedTitle", "publishedAt" HAVING count(*) > 1) THEN
    RAISE EXCEPTION 'archive_ingest_batch: an article is the own article of two pages of one batch';
  END IF;

  SELECT * INTO before FROM archive_footprint(ARRAY(SELECT existing_id FROM archive_batch_plan WHERE existing_id IS NOT NULL));

  -- Only full articles count towards an actor's rarity; a stub's mentions do not.
  UPDATE "Actor" ac SET "fullArticleCount" = ac."fullArticleCount" + d.delta
  FROM (
    SELECT actor_id, sum(delta)::int AS delta FROM (
      SELECT named.id AS actor_id, 1 AS delta
      FROM archive_batch_plan p
      JOIN archive_batch_articles(batch) a ON a.page = p.own_page AND a."position" = 0
      CROSS JOIN jsonb_to_recordset(a.mentions) AS m("actorKey" text)
      JOIN "Actor" named ON named.key = m."actorKey"
      UNION ALL
      SELECT m."actorId", -1 FROM archive_batch_plan p JOIN "Mention" m ON m."articleId" = p.existing_id
      WHERE p.own_page IS NOT NULL AND NOT p.existing_is_stub
    ) deltas GROUP BY actor_id HAVING sum(delta) <> 0
  ) d WHERE ac.id = d.actor_id;

  -- New articles, in the order one-at-a-time storage would create them. Two wanting the
  -- same slug fail the batch (unique violation): stored one by one, the later one takes
  -- its next candidate.
  WITH created AS (
    INSERT INTO "Article" (slug, title, "normalizedTitle", "publishedAt", "categoryId", "imageCredit",
                           paragraphs, body, "wordCount", "isStub", corrections, "updatedAt")
    SELECT
      (SELECT candidate FROM unnest(first.slugs) WITH ORDINALITY AS s(candidate, n)
        WHERE NOT EXISTS (SELECT 1 FROM "Article" WHERE slug = s.candidate) ORDER BY n LIMIT 1),
      a.title, a."normalizedTitle", a."publishedAt", (SELECT id FROM "Category" WHERE slug = a."categorySlug"),
      a."imageCredit", a.paragraphs, a.body, a."wordCount", a."isStub", coalesce(a.corrections, '[]'), now()
    FROM archive_batch_plan p
    JOIN archive_batch_articles(batch) a ON a.page = p.content_page AND a."position" = p.content_position
    JOIN archive_batch_articles(batch) first ON first.page = p.first_page AND first."position" = p.first_position
    WHERE p.existing_id IS NULL
    ORDER BY p.first_page, p.first_position
    RETURNING id, "normalizedTitle", "publishedAt"
  )
  UPDATE archive_batch_plan p SET article_id = created.id FROM created
  WHERE p."normalizedTitle" = created."normalizedTitle" AND p."publishedAt" = created."publishedAt";

  UPDATE "Article" x SET title = a.title, "normalizedTitle" = a."normalizedTitle", "publishedAt" = a."publishedAt",
    "categoryId" = (SELECT id FROM "Category" WHERE slug = a."categorySlug"), "imageCredit" = a."imageCredit",
    paragraphs = a.paragraphs, body = a.body, "wordCount" = a."wordCount", "isStub" = a."isStub",
    corrections = coalesce(a.corrections, '[]'), "updatedAt" = now()
  FROM archive_batch_plan p
  JOIN archive_batch_articles(batch) a ON a.page = p.content_page AND a."position" = p.content_position
  WHERE x.id = p.existing_id;
  UPDATE archive_batch_plan SET article_id = existing_id WHERE existing_id IS NOT NULL;

  -- Mentions follow the text the row ends with; a page's own article takes its page's
  -- mentions even when its text is unchanged.
  DELETE FROM "Mention" m USING archive_batch_plan p
  WHERE m."articleId" = p.article_id AND (p.content_page IS NOT NULL OR p.own_page IS NOT NULL);
  INSERT INTO "Mention" ("articleId", "actorId", count)
  SELECT p.article_id, named.id, m.count
  FROM archive_batch_plan p
  JOIN archive_batch_articles(batch) a
    ON a.page = coalesce(p.content_page, p.own_page) AND a."position" = coalesce(p.content_position, 0)
  CROSS JOIN jsonb_to_recordset(a.mentions) AS m("actorKey" text, count int)
  JOIN "Actor" named ON named.key = m."actorKey"
  WHERE p.content_page IS NOT NULL OR p.own_page IS NOT NULL;

  INSERT INTO "SourceDocument" (name, sha256, "parserVersion", "articleId")
  SELECT d."sourceName", d.sha256, d."parserVersion", p.article_id
  FROM archive_batch_pages(batch) d JOIN archive_batch_plan p ON p.own_page = d.page
  ORDER BY d.page
  ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, "parserVersion" = excluded."parserVersion",
    "articleId" = excluded."articleId", "ingestedAt" = now();

  -- Editorial links: a page's excerpts, in page order.
  UPDATE archive_batch_plan source SET targets = page_links.targets
  FROM (
    SELECT e.page, array_agg(target.article_id ORDER BY e."position") AS targets
    FROM archive_batch_articles(batch) e
    JOIN archive_batch_plan target
      ON target."normalizedTitle" = e."normalizedTitle" AND target."publishedAt" = e."publishedAt"
    WHERE e."position" > 0 AND NOT seen ? e.page::text
    GROUP BY e.page
  ) page_links
  WHERE source.own_page = page_links.page;
  UPDATE archive_batch_plan p SET links_changed = true
  WHERE p.own_page IS NOT NULL AND coalesce(p.targets, '{}') IS DISTINCT FROM ARRAY(
    SELECT "targetId" FROM "RelatedLink" WHERE "sourceId" = p.article_id AND kind = 'EDITORIAL' ORDER BY position);
  DELETE FROM "RelatedLink" l USING archive_batch_plan p WHERE p.links_changed AND l."sourceId" = p.article_id;
  INSERT INTO "RelatedLink" ("sourceId", "targetId", position, kind)
  SELECT p.article_id, t.id, (t.n - 1)::int, 'EDITORIAL'
  FROM archive_batch_plan p CROSS JOIN unnest(p.targets) WITH ORDINALITY AS t(id, n)
  WHERE p.links_changed ORDER BY p.own_page, t.n;

  SELECT coalesce(max(sequence), 0) + 1 INTO first_sequence FROM "TrendEvent";
  INSERT INTO "TrendEvent" (sequence, "articleId")
  SELECT first_sequence - 1 + row_number() OVER (ORDER BY own_page), article_id FROM archive_batch_plan
  WHERE own_page IS NOT NULL AND (existing_id IS NULL OR existing_is_stub)
  ORDER BY own_page;

  SELECT jsonb_agg(jsonb_build_object(
      'page', d.page,
      'outcome', CASE
        WHEN seen ? d.page::text THEN 'UNCHANGED'
        WHEN p.existing_id IS NULL AND p.first_page = d.page THEN 'CREATED'
        WHEN p.existing_id IS NULL OR p.existing_is_stub OR p.changed OR p.links_changed THEN 'UPDATED'
        ELSE 'UNCHANGED' END,
      'articleId', coalesce(p.article_id, (seen->>(d.page::text))::int),
      'trendSequence', t.sequence) ORDER BY d.page)
  INTO pages
  FROM archive_batch_pages(batch) d
  LEFT JOIN archive_batch_plan p ON p.own_page = d.page
  LEFT JOIN "TrendEvent" t ON t."articleId" = p.article_id AND t.sequence >= first_sequence;

  SELECT * INTO after FROM archive_footprint(ARRAY(SELECT article_id FROM archive_batch_plan));
  RETURN jsonb_build_object(
    'revision', archive_next_revision(),
    'pages', pages,
    'articleIds', (SELECT jsonb_agg(article_id ORDER BY article_id) FROM archive_batch_plan),
    'actorIds', to_jsonb(ARRAY(
      SELECT unnest(before.actor_ids || after.actor_ids)
      UNION SELECT ac.id FROM "Actor" ac
      WHERE ac.key IN (SELECT a.key FROM jsonb_to_recordset(batch->'actors') AS a(key text)) ORDER BY 1)),
    'categoryIds', to_jsonb(ARRAY(
      SELECT unnest(before.category_ids || after.category_ids)
      UNION SELECT c.id FROM "Category" c
      WHERE c.slug IN (SELECT x.slug FROM jsonb_to_recordset(batch->'categories') AS x(slug text)) ORDER BY 1)),
    'linkIds', to_jsonb(ARRAY(SELECT DISTINCT unnest(before.link_ids || after.link_ids) ORDER BY 1)));
END $$;

-- Applies a plan that re-keys people stored under earlier rules for person keys
-- (src/ingest/person-keys.ts computes it at start-up, when the rules have changed):
--
--   * merges: {from, into}: the mentions of `from` are added to those of `into` (counts
--     summed where both were named by one article), its aliases move to `into`, `into`
--     keeps the longer of the two names, and `from` is deleted;
--   * renames: {id, key}: the actor gets its new key (through a temporary key, since two
--     renames may swap keys).
CREATE OR REPLACE FUNCTION archive_rekey_people(plan jsonb)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  merge jsonb;
  merged int := 0;
BEGIN
  PERFORM archive_lock_writer();
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
