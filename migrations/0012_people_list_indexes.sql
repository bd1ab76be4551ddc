DROP INDEX "resident_initials_idx";--> statement-breakpoint
CREATE INDEX "house_address_idx" ON "house" USING btree ("address","id");--> statement-breakpoint
CREATE INDEX "resident_created_idx" ON "resident" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "resident_initials_idx" ON "resident" USING btree ("name_initials" text_pattern_ops);