CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"category" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"type" text,
	"urgent" boolean,
	"market_entity" boolean,
	"received_at" timestamp with time zone,
	"source" text NOT NULL,
	"content_hash" text NOT NULL,
	"embedding" vector(512) NOT NULL,
	"embedding_model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispatch_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"suggestion_id" text,
	"case_id" text,
	"kind" text NOT NULL,
	"from_department" text NOT NULL,
	"to_department" text,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" text,
	"attempt" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"text" text,
	"request" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"model_version" text NOT NULL,
	"actor" text NOT NULL,
	"feedback" jsonb,
	"feedback_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "cases_embedding_hnsw" ON "cases" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "cases_source_idx" ON "cases" USING btree ("source");--> statement-breakpoint
CREATE INDEX "suggestions_created_idx" ON "suggestions" USING btree ("created_at");