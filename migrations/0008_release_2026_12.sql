CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"notice" text NOT NULL,
	"holidays" jsonb NOT NULL,
	"workdays" jsonb NOT NULL,
	"source" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"keywords" jsonb NOT NULL,
	"categories" jsonb NOT NULL,
	"emergencies" jsonb NOT NULL,
	"reason" text NOT NULL,
	"declared_by" text NOT NULL,
	"declared_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "person" text;--> statement-breakpoint
ALTER TABLE "suggestions" ADD COLUMN "actor_key_id" integer;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD COLUMN "author_person" text;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD COLUMN "reviewer_person" text;--> statement-breakpoint
CREATE INDEX "api_keys_person_idx" ON "api_keys" USING btree ("person");