CREATE TABLE "open311_key" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"user_id" uuid NOT NULL,
	"org_unit_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "open311_request" (
	"work_order_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"key_id" uuid NOT NULL,
	"account_id" text,
	"device_id" text,
	"email" text,
	"media_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_request_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "hotline_ticket" (
	"external_no" text PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"handler_name" text,
	"deadline" timestamp with time zone,
	"status" text,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hotline_ticket_work_order_id_unique" UNIQUE("work_order_id")
);
--> statement-breakpoint
ALTER TABLE "open311_key" ADD CONSTRAINT "open311_key_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_key" ADD CONSTRAINT "open311_key_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_key" ADD CONSTRAINT "open311_key_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_request" ADD CONSTRAINT "open311_request_work_order_id_work_order_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_request" ADD CONSTRAINT "open311_request_key_id_open311_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."open311_key"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_ticket" ADD CONSTRAINT "hotline_ticket_work_order_id_work_order_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_ticket" ADD CONSTRAINT "hotline_ticket_imported_by_user_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open311_key_hash_key" ON "open311_key" USING btree ("key_hash");