ALTER TABLE "work_order" ADD COLUMN "due_soon_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_order" ADD COLUMN "overdue_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_order" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_order" ADD COLUMN "public_description" text;--> statement-breakpoint
ALTER TABLE "work_order" ADD COLUMN "public_photos" jsonb;--> statement-breakpoint
ALTER TABLE "work_order_category" ADD COLUMN "reply_templates" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "work_order_whistle" ADD COLUMN "escalated_at" timestamp with time zone;