CREATE TABLE "membership_transfer" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"from_org_id" uuid,
	"to_org_id" uuid NOT NULL,
	"moved_on" date NOT NULL,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_member" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"user_id" uuid,
	"party_org_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"joined_on" date,
	"standing" text DEFAULT 'full' NOT NULL,
	"in_service" boolean DEFAULT false NOT NULL,
	"workplace" text,
	"workplace_org" text,
	"mobile" boolean DEFAULT false NOT NULL,
	"mobile_where" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_org" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" uuid,
	"org_unit_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"founded_on" date,
	"secretary_member_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_balance" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "points_balance_not_negative" CHECK ("points_balance"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "points_catalog" (
	"id" uuid PRIMARY KEY NOT NULL,
	"party_org_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_entry" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"party_org_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"item_id" uuid NOT NULL,
	"catalog_id" uuid NOT NULL,
	"month" date NOT NULL,
	"quarter" text NOT NULL,
	"points" integer NOT NULL,
	"note" text,
	"status" text NOT NULL,
	"corrects_id" uuid,
	"reason" text,
	"recorded_by" uuid,
	"claimed_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_item" (
	"id" uuid PRIMARY KEY NOT NULL,
	"catalog_id" uuid NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"points" integer NOT NULL,
	"cap_per_quarter" integer NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"txn_id" uuid NOT NULL,
	"account" text NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"kind" text NOT NULL,
	"quarter_id" uuid,
	"entry_id" uuid,
	"redemption_id" uuid,
	"memo" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_objection" (
	"id" uuid PRIMARY KEY NOT NULL,
	"quarter_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"text" text NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_quarter" (
	"id" uuid PRIMARY KEY NOT NULL,
	"party_org_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"quarter" text NOT NULL,
	"status" text NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"objection_until" timestamp with time zone,
	"final_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "points_redemption" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"quantity" integer NOT NULL,
	"points" integer NOT NULL,
	"confirmed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_shop_item" (
	"id" uuid PRIMARY KEY NOT NULL,
	"party_org_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"price" integer NOT NULL,
	"stock" integer NOT NULL,
	"supplier" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_shop_item_stock" CHECK ("points_shop_item"."stock" >= 0),
	CONSTRAINT "points_shop_item_price" CHECK ("points_shop_item"."price" > 0)
);
--> statement-breakpoint
ALTER TABLE "membership_transfer" ADD CONSTRAINT "membership_transfer_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_transfer" ADD CONSTRAINT "membership_transfer_from_org_id_party_org_id_fk" FOREIGN KEY ("from_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_transfer" ADD CONSTRAINT "membership_transfer_to_org_id_party_org_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_member" ADD CONSTRAINT "party_member_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_member" ADD CONSTRAINT "party_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_member" ADD CONSTRAINT "party_member_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org" ADD CONSTRAINT "party_org_parent_id_party_org_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_org" ADD CONSTRAINT "party_org_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_balance" ADD CONSTRAINT "points_balance_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_catalog" ADD CONSTRAINT "points_catalog_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entry" ADD CONSTRAINT "points_entry_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entry" ADD CONSTRAINT "points_entry_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entry" ADD CONSTRAINT "points_entry_item_id_points_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."points_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entry" ADD CONSTRAINT "points_entry_catalog_id_points_catalog_id_fk" FOREIGN KEY ("catalog_id") REFERENCES "public"."points_catalog"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entry" ADD CONSTRAINT "points_entry_corrects_id_points_entry_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."points_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_item" ADD CONSTRAINT "points_item_catalog_id_points_catalog_id_fk" FOREIGN KEY ("catalog_id") REFERENCES "public"."points_catalog"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objection" ADD CONSTRAINT "points_objection_quarter_id_points_quarter_id_fk" FOREIGN KEY ("quarter_id") REFERENCES "public"."points_quarter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objection" ADD CONSTRAINT "points_objection_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_quarter" ADD CONSTRAINT "points_quarter_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_redemption" ADD CONSTRAINT "points_redemption_item_id_points_shop_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."points_shop_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_redemption" ADD CONSTRAINT "points_redemption_member_id_party_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_shop_item" ADD CONSTRAINT "points_shop_item_party_org_id_party_org_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "membership_transfer_member_idx" ON "membership_transfer" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_member_resident_key" ON "party_member" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_member_user_key" ON "party_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "party_member_org_idx" ON "party_member" USING btree ("party_org_id");--> statement-breakpoint
CREATE INDEX "party_member_path_gist" ON "party_member" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "party_org_path_gist" ON "party_org" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "party_org_parent_idx" ON "party_org" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "party_org_unit_idx" ON "party_org" USING btree ("org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_catalog_version_key" ON "points_catalog" USING btree ("party_org_id","version");--> statement-breakpoint
CREATE INDEX "points_entry_org_quarter_idx" ON "points_entry" USING btree ("party_org_id","quarter","status");--> statement-breakpoint
CREATE INDEX "points_entry_member_idx" ON "points_entry" USING btree ("member_id","quarter");--> statement-breakpoint
CREATE INDEX "points_entry_path_gist" ON "points_entry" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "points_item_catalog_idx" ON "points_item" USING btree ("catalog_id");--> statement-breakpoint
CREATE INDEX "points_ledger_account_idx" ON "points_ledger" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "points_ledger_txn_idx" ON "points_ledger" USING btree ("txn_id");--> statement-breakpoint
CREATE INDEX "points_objection_quarter_idx" ON "points_objection" USING btree ("quarter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_quarter_key" ON "points_quarter" USING btree ("party_org_id","quarter");--> statement-breakpoint
CREATE INDEX "points_redemption_member_idx" ON "points_redemption" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "points_redemption_item_idx" ON "points_redemption" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "points_shop_item_path_gist" ON "points_shop_item" USING gist ("org_path");