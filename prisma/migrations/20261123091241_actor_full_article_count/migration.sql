-- AlterTable
ALTER TABLE "Actor" ADD COLUMN     "fullArticleCount" INTEGER NOT NULL DEFAULT 0;

-- Backfill: count the full articles that already name each actor.
UPDATE "Actor" ac SET "fullArticleCount" = (
    SELECT count(*) FROM "Mention" m JOIN "Article" a ON a.id = m."articleId"
    WHERE m."actorId" = ac.id AND NOT a."isStub"
);
