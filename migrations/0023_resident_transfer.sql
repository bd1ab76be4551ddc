CREATE TABLE "resident_transfer" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"to_grid_id" uuid NOT NULL,
	"to_house_id" uuid,
	"to_household_id" uuid,
	"relation" char(2),
	"to_org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"name" text NOT NULL,
	"residence_status" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"requested_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_to_grid_id_org_unit_id_fk" FOREIGN KEY ("to_grid_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_to_house_id_house_id_fk" FOREIGN KEY ("to_house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_to_household_id_household_id_fk" FOREIGN KEY ("to_household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_transfer_to_gist" ON "resident_transfer" USING gist ("to_org_path");--> statement-breakpoint
CREATE INDEX "resident_transfer_resident_idx" ON "resident_transfer" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_transfer_pending_key" ON "resident_transfer" USING btree ("resident_id","to_org_path") WHERE "resident_transfer"."status" = 'pending';