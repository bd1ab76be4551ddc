CREATE TABLE "community_post" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"capacity" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "community_post_pick" (
	"id" uuid PRIMARY KEY NOT NULL,
	"check_in_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mutual_review" (
	"id" uuid PRIMARY KEY NOT NULL,
	"check_in_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"reviewer" text NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"reviewed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_check_in" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"member_id" uuid,
	"workplace_org_id" uuid,
	"workplace_path" "ltree",
	"org_unit_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"status" text NOT NULL,
	"note" text,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_check_in_subject" CHECK ((kind = 'member') = (member_id is not null))
);
--> statement-breakpoint
CREATE TABLE "service_record" (
	"id" uuid PRIMARY KEY NOT NULL,
	"check_in_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"post_id" uuid,
	"org_path" "ltree" NOT NULL,
	"workplace_path" "ltree",
	"district_code" char(6),
	"served_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"what" text NOT NULL,
	"photo_file_id" uuid,
	"status" text NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_record_minutes" CHECK ("service_record"."minutes" > 0 and "service_record"."minutes" <= 1440)
);
--> statement-breakpoint
ALTER TABLE "points_entry" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "points_entry" ADD COLUMN "source_id" uuid;--> statement-breakpoint
ALTER TABLE "points_item" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "community_post" ADD CONSTRAINT "community_post_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_post_pick" ADD CONSTRAINT "community_post_pick_check_in_id_party_check_in_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."party_check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_post_pick" ADD CONSTRAINT "community_post_pick_post_id_community_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."community_post"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutual_review" ADD CONSTRAINT "mutual_review_check_in_id_party_check_in_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."party_check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_check_in" ADD CONSTRAINT "party_check_in_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_check_in" ADD CONSTRAINT "party_check_in_workplace_org_id_party_org_id_fk" FOREIGN KEY ("workplace_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_check_in" ADD CONSTRAINT "party_check_in_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record" ADD CONSTRAINT "service_record_check_in_id_party_check_in_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."party_check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record" ADD CONSTRAINT "service_record_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record" ADD CONSTRAINT "service_record_post_id_community_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."community_post"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "community_post_name_key" ON "community_post" USING btree ("org_unit_id","name");--> statement-breakpoint
CREATE INDEX "community_post_path_gist" ON "community_post" USING gist ("org_path");--> statement-breakpoint
CREATE UNIQUE INDEX "community_post_pick_key" ON "community_post_pick" USING btree ("check_in_id","post_id");--> statement-breakpoint
CREATE INDEX "community_post_pick_post_idx" ON "community_post_pick" USING btree ("post_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mutual_review_key" ON "mutual_review" USING btree ("check_in_id","year","reviewer");--> statement-breakpoint
CREATE UNIQUE INDEX "party_check_in_member_key" ON "party_check_in" USING btree ("member_id") WHERE status <> 'refused';--> statement-breakpoint
CREATE UNIQUE INDEX "party_check_in_org_key" ON "party_check_in" USING btree ("workplace_org_id","org_unit_id") WHERE kind = 'organisation' and status <> 'refused';--> statement-breakpoint
CREATE INDEX "party_check_in_path_gist" ON "party_check_in" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "party_check_in_workplace_gist" ON "party_check_in" USING gist ("workplace_path");--> statement-breakpoint
CREATE INDEX "service_record_check_in_idx" ON "service_record" USING btree ("check_in_id","served_on");--> statement-breakpoint
CREATE INDEX "service_record_path_gist" ON "service_record" USING gist ("org_path");--> statement-breakpoint
CREATE UNIQUE INDEX "points_entry_source_key" ON "points_entry" USING btree ("source","source_id","member_id") WHERE "points_entry"."source" is not null;