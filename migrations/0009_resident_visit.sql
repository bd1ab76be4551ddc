CREATE TABLE "resident_visit" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"household_id" uuid,
	"visited_by" uuid,
	"visitor_name" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"notes" text NOT NULL,
	"photo_ids" uuid[] DEFAULT '{}' NOT NULL,
	"tags_added" text[] DEFAULT '{}' NOT NULL,
	"tags_removed" text[] DEFAULT '{}' NOT NULL,
	"org_path" "ltree" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_visit" ADD CONSTRAINT "resident_visit_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_visit" ADD CONSTRAINT "resident_visit_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_visit_resident_idx" ON "resident_visit" USING btree ("resident_id","visited_at");--> statement-breakpoint
CREATE INDEX "resident_visit_path_gist" ON "resident_visit" USING gist ("org_path");