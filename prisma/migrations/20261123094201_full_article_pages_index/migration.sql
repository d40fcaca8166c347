-- CreateIndex
CREATE INDEX "Article_isStub_publishedAt_id_idx" ON "Article"("isStub", "publishedAt" DESC, "id" DESC);
