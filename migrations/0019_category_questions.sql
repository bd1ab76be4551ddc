ALTER TABLE "open311_request" ADD COLUMN "address_id" text;--> statement-breakpoint
ALTER TABLE "work_order" ADD COLUMN "answers" jsonb;--> statement-breakpoint
ALTER TABLE "work_order_category" ADD COLUMN "questions" jsonb DEFAULT '[]'::jsonb NOT NULL;