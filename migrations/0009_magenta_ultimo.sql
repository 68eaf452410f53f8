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
ALTER TABLE "cases" ADD COLUMN "order_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "label_sources" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "rejected_departments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "work_order_events_order_idx" ON "work_order_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE INDEX "work_orders_received_idx" ON "work_orders" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "work_orders_suggestion_idx" ON "work_orders" USING btree ("suggestion_id");--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_at");