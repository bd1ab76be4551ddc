CREATE TABLE "house" (
	"id" uuid PRIMARY KEY NOT NULL,
	"grid_id" uuid NOT NULL,
	"building_id" uuid,
	"unit" integer,
	"floor" integer,
	"room" text,
	"address" text NOT NULL,
	"use" text NOT NULL,
	"area" double precision,
	"owner_name" text,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "household" (
	"id" uuid PRIMARY KEY NOT NULL,
	"house_id" uuid NOT NULL,
	"head_resident_id" uuid,
	"registration_type" text NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "household_member" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"relation" char(2) NOT NULL,
	"joined_on" date,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_move" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"from_house_id" uuid,
	"to_house_id" uuid NOT NULL,
	"moved_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_initials" text NOT NULL,
	"gender" text NOT NULL,
	"birth_date" date NOT NULL,
	"ethnicity" char(2) NOT NULL,
	"document_type" text DEFAULT 'idCard' NOT NULL,
	"id_number_cipher" text NOT NULL,
	"id_number_index" text NOT NULL,
	"phone_cipher" text,
	"phone_index" text,
	"residence_status" text NOT NULL,
	"political_status" text DEFAULT 'masses' NOT NULL,
	"education" text,
	"employment" text,
	"employer" text,
	"health_notes" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"grid_id" uuid NOT NULL,
	"house_id" uuid,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "resident_event" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_on" date NOT NULL,
	"house_id" uuid,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "house" ADD CONSTRAINT "house_grid_id_org_unit_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "house" ADD CONSTRAINT "house_building_id_org_unit_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household" ADD CONSTRAINT "household_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_member" ADD CONSTRAINT "household_member_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_member" ADD CONSTRAINT "household_member_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_move" ADD CONSTRAINT "household_move_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_move" ADD CONSTRAINT "household_move_from_house_id_house_id_fk" FOREIGN KEY ("from_house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_move" ADD CONSTRAINT "household_move_to_house_id_house_id_fk" FOREIGN KEY ("to_house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_grid_id_org_unit_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_event" ADD CONSTRAINT "resident_event_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_event" ADD CONSTRAINT "resident_event_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "house_path_gist" ON "house" USING gist ("org_path");--> statement-breakpoint
CREATE UNIQUE INDEX "house_room_key" ON "house" USING btree ("building_id","unit","room") WHERE "house"."deleted_at" is null and "house"."building_id" is not null;--> statement-breakpoint
CREATE INDEX "house_address_trgm" ON "house" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "household_path_gist" ON "household" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "household_house_idx" ON "household" USING btree ("house_id");--> statement-breakpoint
CREATE UNIQUE INDEX "household_member_current_key" ON "household_member" USING btree ("resident_id") WHERE "household_member"."left_on" is null;--> statement-breakpoint
CREATE INDEX "household_member_household_idx" ON "household_member" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "household_move_household_idx" ON "household_move" USING btree ("household_id","moved_on");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_id_number_key" ON "resident" USING btree ("id_number_index") WHERE "resident"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "resident_phone_idx" ON "resident" USING btree ("phone_index");--> statement-breakpoint
CREATE INDEX "resident_path_gist" ON "resident" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "resident_tags_gin" ON "resident" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "resident_name_trgm" ON "resident" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "resident_initials_idx" ON "resident" USING btree ("name_initials");--> statement-breakpoint
CREATE INDEX "resident_birth_idx" ON "resident" USING btree ("birth_date");--> statement-breakpoint
CREATE INDEX "resident_house_idx" ON "resident" USING btree ("house_id");--> statement-breakpoint
CREATE INDEX "resident_event_resident_idx" ON "resident_event" USING btree ("resident_id","occurred_on");