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
CREATE INDEX "hot_topics_last_at_idx" ON "hot_topics" USING btree ("last_at");--> statement-breakpoint
CREATE INDEX "request_signals_at_idx" ON "request_signals" USING btree ("at");--> statement-breakpoint
CREATE INDEX "request_signals_topic_idx" ON "request_signals" USING btree ("topic_id");--> statement-breakpoint
CREATE INDEX "request_signals_embedding_hnsw" ON "request_signals" USING hnsw ("embedding" vector_cosine_ops);