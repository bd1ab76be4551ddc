CREATE TABLE "account_request" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"id_number_enc" text,
	"id_number_hash" text,
	"in_service" boolean,
	"workplace" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_request" ADD CONSTRAINT "account_request_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_request" ADD CONSTRAINT "account_request_org_unit_id_org_unit_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_request" ADD CONSTRAINT "account_request_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_request_path_gist" ON "account_request" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "account_request_user_idx" ON "account_request" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "account_request_status_idx" ON "account_request" USING btree ("kind","status");