CREATE TABLE "building" (
	"org_unit_id" uuid PRIMARY KEY NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"address" text,
	"units" integer DEFAULT 1 NOT NULL,
	"floors" integer DEFAULT 1 NOT NULL,
	"households_per_unit" integer DEFAULT 1 NOT NULL,
	"leader_user_id" uuid,
	"qr_token" text NOT NULL,
	"district_code" char(6) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid" (
	"org_unit_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"min_lng" double precision,
	"min_lat" double precision,
	"max_lng" double precision,
	"max_lat" double precision,
	"target_households" integer,
	"coverage" text,
	"leader_user_id" uuid,
	"worker_user_ids" uuid[] DEFAULT '{}' NOT NULL,
	"district_code" char(6) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_serial" (
	"parent_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "org_serial_parent_id_kind_pk" PRIMARY KEY("parent_id","kind")
);
--> statement-breakpoint
ALTER TABLE "org_unit" ADD COLUMN "boundary" jsonb;--> statement-breakpoint
ALTER TABLE "building" ADD CONSTRAINT "building_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid" ADD CONSTRAINT "grid_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_serial" ADD CONSTRAINT "org_serial_parent_id_org_unit_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "building_qr_key" ON "building" USING btree ("qr_token");--> statement-breakpoint
CREATE INDEX "building_district_idx" ON "building" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "grid_district_idx" ON "grid" USING btree ("district_code","type");