DROP INDEX "knowledge_passages_tokens_gin";--> statement-breakpoint
CREATE INDEX "knowledge_passages_tokens_gin" ON "knowledge_passages" USING gin ("tokens") WITH (fastupdate=false);