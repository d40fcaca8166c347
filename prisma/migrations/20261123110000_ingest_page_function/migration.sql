-- Stores one parsed page in a single statement, so ingesting a document costs one round
-- trip instead of some forty, and a statement is its own transaction: the page is stored
-- whole or not at all. The page arrives as JSON prepared by src/ingest/ingest-document.ts
-- (parsing, actor resolution and slugs stay in TypeScript); this function only decides
-- what to write, by the rules documented there:
--
--   * the same bytes with the same parser version again change nothing (UNCHANGED);
--   * an article is identified by (normalizedTitle, publishedAt); a full page replaces a
--     stub of itself, and reports UPDATED only if something visible changed;
--   * each excerpt becomes a stub, or links to the article it already is; a stub keeps the
--     longest excerpt seen; a full article is never replaced by an excerpt of itself;
--   * editorial links follow page order; changing them drops the computed links, which
--     the caller recomputes (src/ingest/computed-links.ts);
--   * Actor."fullArticleCount" counts the full articles naming each actor;
--   * a trend event is appended, with a gap-free sequence, when an article first becomes
--     available in full.
--
-- Locks, always in this order so concurrent ingests cannot deadlock: the identities of
-- the page's articles (sorted), then the related-links lock, then the trend-sequence lock.
-- Existing actors are not locked by merely being named: nearly every page names the same
-- few, and a row lock held to the commit (as INSERT ... ON CONFLICT DO UPDATE takes even
-- when it updates nothing, strong enough to block other ingests' foreign-key checks)
-- queued every ingest behind the one before. Actor rows are written only under the
-- related-links lock.

-- The mentions of one article, replaced by those of the page (actor ids by key).
CREATE FUNCTION archive_replace_mentions(stored_id int, mentions jsonb, actor_ids jsonb)
RETURNS void LANGUAGE sql AS $$
  DELETE FROM "Mention" WHERE "articleId" = stored_id;
  INSERT INTO "Mention" ("articleId", "actorId", count)
  SELECT stored_id, (actor_ids->>(m->>'actorKey'))::int, (m->>'count')::int FROM jsonb_array_elements(mentions) m;
$$;

CREATE FUNCTION archive_store_article(item jsonb, category_ids jsonb, actor_ids jsonb, is_stub boolean, existing_id int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  stored_id int := existing_id;
BEGIN
  IF stored_id IS NULL THEN
    INSERT INTO "Article" (slug, title, "normalizedTitle", "publishedAt", "categoryId", "imageCredit",
                           paragraphs, body, "wordCount", "isStub", "updatedAt")
    VALUES (
      (SELECT candidate FROM jsonb_array_elements_text(item->'slugs') WITH ORDINALITY AS s(candidate, n)
        WHERE NOT EXISTS (SELECT 1 FROM "Article" WHERE slug = s.candidate) ORDER BY n LIMIT 1),
      item->>'title', item->>'normalizedTitle', (item->>'publishedAt')::timestamptz,
      (category_ids->>(item->>'categorySlug'))::int, item->>'imageCredit',
      ARRAY(SELECT jsonb_array_elements_text(item->'paragraphs')), item->>'body', (item->>'wordCount')::int,
      is_stub, now())
    RETURNING id INTO stored_id;
  ELSE
    UPDATE "Article" SET title = item->>'title', "normalizedTitle" = item->>'normalizedTitle',
      "publishedAt" = (item->>'publishedAt')::timestamptz, "categoryId" = (category_ids->>(item->>'categorySlug'))::int,
      "imageCredit" = item->>'imageCredit', paragraphs = ARRAY(SELECT jsonb_array_elements_text(item->'paragraphs')),
      body = item->>'body', "wordCount" = (item->>'wordCount')::int, "isStub" = is_stub, "updatedAt" = now()
    WHERE id = stored_id;
  END IF;
  PERFORM archive_replace_mentions(stored_id, item->'mentions', actor_ids);
  RETURN stored_id;
END $$;

CREATE FUNCTION archive_ingest_page(page jsonb)
RETURNS TABLE (outcome text, article_id int, trend_sequence int) LANGUAGE plpgsql AS $$
DECLARE
  identity text;
  actor jsonb;
  excerpt jsonb;
  category_ids jsonb;
  actor_ids jsonb := '{}';
  main jsonb := page->'article';
  existing "Article"%ROWTYPE;
  found_excerpt "Article"%ROWTYPE;
  stored_article_id int;
  result_outcome text;
  actors_before int[] := '{}';
  actors_after int[];
  target_ids int[] := '{}';
  sequence_number int;
BEGIN
  FOR identity IN SELECT jsonb_array_elements_text(page->'identities') ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(identity, 0));
  END LOOP;

  -- A concurrent ingest of the same bytes may have committed while we waited.
  SELECT "articleId" INTO stored_article_id FROM "SourceDocument"
  WHERE sha256 = page->>'sha256' AND "parserVersion" = (page->>'parserVersion')::int;
  IF FOUND THEN
    RETURN QUERY SELECT 'UNCHANGED', stored_article_id, NULL::int;
    RETURN;
  END IF;

  INSERT INTO "Category" (slug, name)
  SELECT c->>'slug', c->>'name' FROM jsonb_array_elements(page->'categories') c ORDER BY 1
  ON CONFLICT (slug) DO NOTHING;
  SELECT coalesce(jsonb_object_agg(slug, id), '{}') INTO category_ids FROM "Category"
  WHERE slug IN (SELECT c->>'slug' FROM jsonb_array_elements(page->'categories') c);

  -- New actors, in key order. One whose slug another actor holds carries its key in the
  -- slug (rare). DO NOTHING: an existing actor is not locked here (nearly every page
  -- names the same few actors, and a lock held to the end would queue every ingest
  -- behind the one before).
  FOR actor IN SELECT a FROM jsonb_array_elements(page->'actors') a ORDER BY a->>'key' LOOP
    INSERT INTO "Actor" (key, name, kind, slug)
    VALUES (actor->>'key', actor->>'name', (actor->>'kind')::"ActorKind",
      CASE WHEN EXISTS (SELECT 1 FROM "Actor" WHERE slug = actor->>'slug') THEN actor->>'fallbackSlug' ELSE actor->>'slug' END)
    ON CONFLICT (key) DO NOTHING;
  END LOOP;
  SELECT coalesce(jsonb_object_agg(key, id), '{}') INTO actor_ids FROM "Actor"
  WHERE key IN (SELECT a->>'key' FROM jsonb_array_elements(page->'actors') a);
  -- A surface form belongs to the first actor that claimed it.
  INSERT INTO "ActorAlias" (surface, slug, "actorId")
  SELECT a->>'surface', a->>'slug', (actor_ids->>(a->>'actorKey'))::int FROM jsonb_array_elements(page->'aliases') a
  ORDER BY 1
  ON CONFLICT (surface) DO NOTHING;

  SELECT * INTO existing FROM "Article"
  WHERE "normalizedTitle" = main->>'normalizedTitle' AND "publishedAt" = (main->>'publishedAt')::timestamptz;
  IF existing.id IS NULL THEN
    result_outcome := 'CREATED';
  ELSE
    -- Only full articles count towards an actor's rarity; a stub's mentions did not.
    IF NOT existing."isStub" THEN
      actors_before := ARRAY(SELECT "actorId" FROM "Mention" WHERE "articleId" = existing.id);
    END IF;
    result_outcome := CASE WHEN existing."isStub"
        OR existing.title <> main->>'title'
        OR existing."categoryId" IS DISTINCT FROM (category_ids->>(main->>'categorySlug'))::int
        OR existing."imageCredit" IS DISTINCT FROM main->>'imageCredit'
        OR existing.paragraphs <> ARRAY(SELECT jsonb_array_elements_text(main->'paragraphs'))
      THEN 'UPDATED' ELSE 'UNCHANGED' END;
  END IF;
  IF result_outcome = 'UNCHANGED' THEN
    stored_article_id := existing.id;
    PERFORM archive_replace_mentions(existing.id, main->'mentions', actor_ids);
  ELSE
    stored_article_id := archive_store_article(main, category_ids, actor_ids, false, existing.id);
  END IF;

  FOR excerpt IN SELECT e FROM jsonb_array_elements(page->'excerpts') WITH ORDINALITY AS x(e, n) ORDER BY n LOOP
    SELECT * INTO found_excerpt FROM "Article"
    WHERE "normalizedTitle" = excerpt->>'normalizedTitle' AND "publishedAt" = (excerpt->>'publishedAt')::timestamptz;
    IF found_excerpt.id IS NULL THEN
      target_ids := target_ids || archive_store_article(excerpt, category_ids, actor_ids, true, NULL);
    ELSIF found_excerpt."isStub" AND length(excerpt->>'body') > length(found_excerpt.body) THEN
      target_ids := target_ids || archive_store_article(excerpt, category_ids, actor_ids, true, found_excerpt.id);
    ELSE
      target_ids := target_ids || found_excerpt.id;
    END IF;
  END LOOP;

  INSERT INTO "SourceDocument" (name, sha256, "parserVersion", "articleId")
  VALUES (page->>'sourceName', page->>'sha256', (page->>'parserVersion')::int, stored_article_id)
  ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, "parserVersion" = excluded."parserVersion",
    "articleId" = excluded."articleId", "ingestedAt" = now();

  -- From here to the commit, one ingest at a time: actor rows and links are written
  -- under the related-links lock (computed-links.ts), so their row locks never cross.
  PERFORM pg_advisory_xact_lock(7301002);
  -- A person first seen by surname alone gets their full name once a page gives it.
  UPDATE "Actor" ac SET name = a->>'name'
  FROM jsonb_array_elements(page->'actors') a
  WHERE ac.key = a->>'key' AND ac.kind = 'PERSON' AND ac.name <> a->>'name'
    AND cardinality(string_to_array(a->>'name', ' ')) > cardinality(string_to_array(ac.name, ' '));
  actors_after := ARRAY(SELECT "actorId" FROM "Mention" WHERE "articleId" = stored_article_id);
  UPDATE "Actor" SET "fullArticleCount" = "fullArticleCount" + 1
  WHERE id = ANY(actors_after) AND NOT id = ANY(actors_before);
  UPDATE "Actor" SET "fullArticleCount" = "fullArticleCount" - 1
  WHERE id = ANY(actors_before) AND NOT id = ANY(actors_after);

  IF target_ids IS DISTINCT FROM ARRAY(SELECT "targetId" FROM "RelatedLink"
      WHERE "sourceId" = stored_article_id AND kind = 'EDITORIAL' ORDER BY position) THEN
    DELETE FROM "RelatedLink" WHERE "sourceId" = stored_article_id;
    INSERT INTO "RelatedLink" ("sourceId", "targetId", position, kind)
    SELECT stored_article_id, t.id, (t.n - 1)::int, 'EDITORIAL' FROM unnest(target_ids) WITH ORDINALITY AS t(id, n);
    IF result_outcome = 'UNCHANGED' THEN result_outcome := 'UPDATED'; END IF;
  END IF;

  IF existing.id IS NULL OR existing."isStub" THEN
    PERFORM pg_advisory_xact_lock(7301001); -- the trend-sequence lock: sequences stay gap-free
    SELECT coalesce(max(sequence), 0) + 1 INTO sequence_number FROM "TrendEvent";
    INSERT INTO "TrendEvent" (sequence, "articleId") VALUES (sequence_number, stored_article_id);
  END IF;
  RETURN QUERY SELECT result_outcome, stored_article_id, sequence_number;
END $$;
