CREATE TABLE "knowledge_items" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_version" integer,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_passages" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"version_id" integer NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"tokens" "tsvector" NOT NULL,
	"embedding" vector(512) NOT NULL,
	"embedding_model" text NOT NULL,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_sync_state" (
	"scope" text PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"embedding_model" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"title" text NOT NULL,
	"question" text NOT NULL,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"answer" text NOT NULL,
	"basis" text DEFAULT '' NOT NULL,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"region" text DEFAULT '全市' NOT NULL,
	"audience" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"owner" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"source" text NOT NULL,
	"author" text NOT NULL,
	"base_version" integer,
	"change_note" text DEFAULT '' NOT NULL,
	"reviewer" text,
	"review_comment" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"path" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" integer NOT NULL,
	"parent_path" text,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"level" text NOT NULL,
	"district" text NOT NULL,
	"duties" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge_passages" ADD CONSTRAINT "knowledge_passages_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_passages" ADD CONSTRAINT "knowledge_passages_version_id_knowledge_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."knowledge_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_versions" ADD CONSTRAINT "knowledge_versions_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_passages_embedding_hnsw" ON "knowledge_passages" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "knowledge_passages_tokens_gin" ON "knowledge_passages" USING gin ("tokens");--> statement-breakpoint
CREATE INDEX "knowledge_passages_item_idx" ON "knowledge_passages" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_versions_item_version_uq" ON "knowledge_versions" USING btree ("item_id","version");--> statement-breakpoint
CREATE INDEX "knowledge_versions_state_idx" ON "knowledge_versions" USING btree ("state");