CREATE TABLE "job_progress" (
	"job_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"stage" text NOT NULL,
	"done" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"worker" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"version" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"embedding_model" text NOT NULL,
	"trained_on" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"evaluation" jsonb,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"artifact" "bytea" NOT NULL,
	"promoted_at" timestamp with time zone,
	"promoted_by" text,
	"retired_at" timestamp with time zone,
	"rolled_back_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_limit_buckets" (
	"caller" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "models_one_promoted" ON "models" USING btree ("status") WHERE status = 'promoted';--> statement-breakpoint
CREATE INDEX "models_created_idx" ON "models" USING btree ("created_at");