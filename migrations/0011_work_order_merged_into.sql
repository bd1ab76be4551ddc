ALTER TABLE "work_order" ADD COLUMN "merged_into" uuid;--> statement-breakpoint
CREATE INDEX "work_order_merged_idx" ON "work_order" USING btree ("merged_into") WHERE "work_order"."merged_into" is not null;--> statement-breakpoint
UPDATE "work_order" SET "merged_into" = ("state"->>'mergedInto')::uuid WHERE "state"->>'mergedInto' IS NOT NULL;
