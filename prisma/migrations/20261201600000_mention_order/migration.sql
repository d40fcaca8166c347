-- CreateIndex
CREATE INDEX "Mention_articleId_count_actorId_idx" ON "Mention"("articleId", "count" DESC, "actorId");
