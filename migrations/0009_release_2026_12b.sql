CREATE TABLE "hot_topics" (
	"id" text PRIMARY KEY NOT NULL,
	"centroid_sum" jsonb NOT NULL,
	"size" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"term_counts" jsonb NOT NULL,
	"place_counts" jsonb NOT NULL,
	"district_counts" jsonb NOT NULL,
	"likes" real DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_signals" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"places" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"districts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"department" text,
	"likes" integer DEFAULT 0 NOT NULL,
	"embedding" vector(512) NOT NULL,
	"topic_id" text,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
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
CREATE TABLE "work_order_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"actor" text NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"received_at" timestamp with time zone,
	"suggestion_id" text,
	"closed_at" timestamp with time zone,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "assisting_departments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "order_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "label_sources" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "rejected_departments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD COLUMN "basis_detail" jsonb;--> statement-breakpoint
CREATE INDEX "hot_topics_last_at_idx" ON "hot_topics" USING btree ("last_at");--> statement-breakpoint
CREATE INDEX "request_signals_at_idx" ON "request_signals" USING btree ("at");--> statement-breakpoint
CREATE INDEX "request_signals_topic_idx" ON "request_signals" USING btree ("topic_id");--> statement-breakpoint
CREATE INDEX "request_signals_embedding_hnsw" ON "request_signals" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "models_one_promoted" ON "models" USING btree ("status") WHERE status = 'promoted';--> statement-breakpoint
CREATE INDEX "models_created_idx" ON "models" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "work_order_events_order_idx" ON "work_order_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE INDEX "work_orders_received_idx" ON "work_orders" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "work_orders_suggestion_idx" ON "work_orders" USING btree ("suggestion_id");--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_at");