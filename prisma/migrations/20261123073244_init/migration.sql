-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('PERSON', 'STATE', 'ORGANIZATION');

-- CreateEnum
CREATE TYPE "RelatedLinkKind" AS ENUM ('EDITORIAL', 'COMPUTED');

-- CreateTable
CREATE TABLE "Category" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Article" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "normalizedTitle" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "categoryId" INTEGER,
    "imageCredit" TEXT,
    "paragraphs" TEXT[],
    "body" TEXT NOT NULL,
    "wordCount" INTEGER NOT NULL,
    "isStub" BOOLEAN NOT NULL,
    -- Full-text search over title (weight A) and body (weight B), stored and generated so
    -- it never disagrees with the text. 'english' stems English words and keeps Cyrillic
    -- words as they are. Hand-edited: Prisma writes a plain column with a DEFAULT here.
    "searchVector" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, "title"), 'A') ||
        setweight(to_tsvector('english'::regconfig, "body"), 'B')
    ) STORED,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Actor" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ActorKind" NOT NULL,

    CONSTRAINT "Actor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActorAlias" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER NOT NULL,
    "surface" TEXT NOT NULL,
    "slug" TEXT NOT NULL,

    CONSTRAINT "ActorAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mention" (
    "articleId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "Mention_pkey" PRIMARY KEY ("articleId","actorId")
);

-- CreateTable
CREATE TABLE "RelatedLink" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "targetId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "RelatedLinkKind" NOT NULL,
    "score" DOUBLE PRECISION,

    CONSTRAINT "RelatedLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceDocument" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "parserVersion" INTEGER NOT NULL,
    "ingestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "articleId" INTEGER NOT NULL,

    CONSTRAINT "SourceDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrendEvent" (
    "sequence" INTEGER NOT NULL,
    "articleId" INTEGER NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrendEvent_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Category_slug_key" ON "Category"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");

-- CreateIndex
CREATE INDEX "Article_publishedAt_id_idx" ON "Article"("publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Article_categoryId_publishedAt_idx" ON "Article"("categoryId", "publishedAt" DESC);

-- CreateIndex
CREATE INDEX "Article_searchVector_idx" ON "Article" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "Article_normalizedTitle_publishedAt_key" ON "Article"("normalizedTitle", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Actor_key_key" ON "Actor"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Actor_slug_key" ON "Actor"("slug");

-- CreateIndex
CREATE INDEX "Actor_kind_idx" ON "Actor"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "ActorAlias_surface_key" ON "ActorAlias"("surface");

-- CreateIndex
CREATE INDEX "ActorAlias_actorId_idx" ON "ActorAlias"("actorId");

-- CreateIndex
CREATE INDEX "ActorAlias_slug_idx" ON "ActorAlias"("slug");

-- CreateIndex
CREATE INDEX "Mention_actorId_articleId_idx" ON "Mention"("actorId", "articleId");

-- CreateIndex
CREATE INDEX "RelatedLink_targetId_idx" ON "RelatedLink"("targetId");

-- CreateIndex
CREATE UNIQUE INDEX "RelatedLink_sourceId_position_key" ON "RelatedLink"("sourceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "RelatedLink_sourceId_targetId_key" ON "RelatedLink"("sourceId", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "SourceDocument_sha256_key" ON "SourceDocument"("sha256");

-- CreateIndex
CREATE INDEX "SourceDocument_articleId_idx" ON "SourceDocument"("articleId");

-- CreateIndex
CREATE UNIQUE INDEX "TrendEvent_articleId_key" ON "TrendEvent"("articleId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActorAlias" ADD CONSTRAINT "ActorAlias_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelatedLink" ADD CONSTRAINT "RelatedLink_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelatedLink" ADD CONSTRAINT "RelatedLink_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceDocument" ADD CONSTRAINT "SourceDocument_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrendEvent" ADD CONSTRAINT "TrendEvent_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

