CREATE TABLE "knowledge_gap_questions" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"embedding" vector(512) NOT NULL,
	"covered_at" timestamp with time zone,
	"covered_by" text
);
--> statement-breakpoint
CREATE INDEX "knowledge_gap_questions_at_idx" ON "knowledge_gap_questions" USING btree ("at");--> statement-breakpoint
-- Same reason as 0002, 0006 and 0010: keep the 512-d vectors inline.
ALTER TABLE "knowledge_gap_questions" ALTER COLUMN "embedding" SET STORAGE PLAIN;
