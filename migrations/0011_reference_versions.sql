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
CREATE UNIQUE INDEX "reference_versions_kind_version_idx" ON "reference_versions" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "reference_versions_effective_idx" ON "reference_versions" USING btree ("kind","effective_from","id");