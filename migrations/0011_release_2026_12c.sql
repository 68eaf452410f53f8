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
CREATE TABLE "eval_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"model_version" text,
	"embedding_model" text,
	"created_by" text,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"report_html" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "reference_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"source" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE INDEX "knowledge_gap_questions_at_idx" ON "knowledge_gap_questions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "eval_runs_started_idx" ON "eval_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_versions_kind_version_idx" ON "reference_versions" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "reference_versions_effective_idx" ON "reference_versions" USING btree ("kind","effective_from","id");