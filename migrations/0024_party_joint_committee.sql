CREATE TABLE "joint_committee" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"name" text NOT NULL,
	"party_org_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_committee_meeting" (
	"id" uuid PRIMARY KEY NOT NULL,
	"committee_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"held_on" date NOT NULL,
	"attendee_ids" uuid[] NOT NULL,
	"topics" text[] NOT NULL,
	"decisions" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_committee_member" (
	"id" uuid PRIMARY KEY NOT NULL,
	"committee_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"partner_unit" text,
	"title" text,
	"joined_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "joint_committee_member_partner" CHECK ("joint_committee_member"."role" <> 'partTime' or "joint_committee_member"."partner_unit" is not null)
);
--> statement-breakpoint
ALTER TABLE "joint_committee" ADD CONSTRAINT "joint_committee_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_committee" ADD CONSTRAINT "joint_committee_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_committee_meeting" ADD CONSTRAINT "joint_committee_meeting_committee_id_joint_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."joint_committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_committee_member" ADD CONSTRAINT "joint_committee_member_committee_id_joint_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."joint_committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "joint_committee_unit_key" ON "joint_committee" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "joint_committee_path_gist" ON "joint_committee" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "joint_committee_meeting_committee_idx" ON "joint_committee_meeting" USING btree ("committee_id","held_on");--> statement-breakpoint
CREATE INDEX "joint_committee_member_committee_idx" ON "joint_committee_member" USING btree ("committee_id");