-- Article.corrections: the repairs the parser made to an article's title and paragraphs
-- (keyboard-layout garble such as "учеутв" for "extend"), so that nothing changes
-- silently. archive_store_article now writes them; nothing else of the ingest function
-- changes (see 20261123110000_ingest_page_function for its rules).

ALTER TABLE "Article" ADD COLUMN "corrections" JSONB NOT NULL DEFAULT '[]';

CREATE OR REPLACE FUNCTION archive_store_article(item jsonb, category_ids jsonb, actor_ids jsonb, is_stub boolean, existing_id int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  stored_id int := existing_id;
BEGIN
  IF stored_id IS NULL THEN
    INSERT INTO "Article" (slug, title, "normalizedTitle", "publishedAt", "categoryId", "imageCredit",
                           paragraphs, body, "wordCount", "isStub", corrections, "updatedAt")
    VALUES (
      (SELECT candidate FROM jsonb_array_elements_text(item->'slugs') WITH ORDINALITY AS s(candidate, n)
        WHERE NOT EXISTS (SELECT 1 FROM "Article" WHERE slug = s.candidate) ORDER BY n LIMIT 1),
      item->>'title', item->>'normalizedTitle', (item->>'publishedAt')::timestamptz,
      (category_ids->>(item->>'categorySlug'))::int, item->>'imageCredit',
      ARRAY(SELECT jsonb_array_elements_text(item->'paragraphs')), item->>'body', (item->>'wordCount')::int,
      is_stub, coalesce(item->'corrections', '[]'), now())
    RETURNING id INTO stored_id;
  ELSE
    UPDATE "Article" SET title = item->>'title', "normalizedTitle" = item->>'normalizedTitle',
      "publishedAt" = (item->>'publishedAt')::timestamptz, "categoryId" = (category_ids->>(item->>'categorySlug'))::int,
      "imageCredit" = item->>'imageCredit', paragraphs = ARRAY(SELECT jsonb_array_elements_text(item->'paragraphs')),
      body = item->>'body', "wordCount" = (item->>'wordCount')::int, "isStub" = is_stub,
      corrections = coalesce(item->'corrections', '[]'), "updatedAt" = now()
    WHERE id = stored_id;
  END IF;
  PERFORM archive_replace_mentions(stored_id, item->'mentions', actor_ids);
  RETURN stored_id;
END $$;
