CREATE TABLE "hit_test_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"config" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"cases" jsonb NOT NULL
);
