ALTER TABLE "api_keys" ADD COLUMN "person" text;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD COLUMN "author_person" text;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD COLUMN "reviewer_person" text;--> statement-breakpoint
CREATE INDEX "api_keys_person_idx" ON "api_keys" USING btree ("person");