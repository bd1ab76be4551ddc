CREATE TABLE "idempotency_key" (
	"key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_key_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "work_order" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"channel" text NOT NULL,
	"category_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"address" text,
	"place_id" uuid NOT NULL,
	"org_path" "ltree" NOT NULL,
	"district_code" char(6),
	"reporter_user_id" uuid,
	"reporter_name" text,
	"reporter_phone_enc" text,
	"reporter_phone_hash" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"external_no" text,
	"status" text NOT NULL,
	"outcome" text,
	"handler_unit_id" uuid,
	"handler_user_id" uuid,
	"handler_path" "ltree",
	"due_at" timestamp with time zone,
	"follow_up_due_at" timestamp with time zone,
	"rating" text,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"return_count" integer DEFAULT 0 NOT NULL,
	"problem" boolean DEFAULT false NOT NULL,
	"state" jsonb NOT NULL,
	"event_count" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_order_category" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"handler_type" text NOT NULL,
	"department" text,
	"sla_hours" integer,
	"sla_working_days" integer,
	"staff_only" boolean DEFAULT false NOT NULL,
	"common" boolean DEFAULT false NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "work_order_category_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "work_order_event" (
	"id" uuid PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_serial" (
	"district_code" char(6) NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "work_order_serial_district_code_day_pk" PRIMARY KEY("district_code","day")
);
--> statement-breakpoint
CREATE TABLE "work_order_whistle" (
	"work_order_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"department_path" "ltree" NOT NULL,
	"whistled_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	CONSTRAINT "work_order_whistle_work_order_id_department_id_pk" PRIMARY KEY("work_order_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_work_order_id_work_order_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_category_id_work_order_category_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."work_order_category"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_place_id_org_unit_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_reporter_user_id_user_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_handler_unit_id_org_unit_id_fk" FOREIGN KEY ("handler_unit_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_handler_user_id_user_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_event" ADD CONSTRAINT "work_order_event_work_order_id_work_order_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_whistle" ADD CONSTRAINT "work_order_whistle_work_order_id_work_order_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_whistle" ADD CONSTRAINT "work_order_whistle_department_id_org_unit_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."org_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "work_order_number_key" ON "work_order" USING btree ("district_code","number");--> statement-breakpoint
CREATE UNIQUE INDEX "work_order_external_key" ON "work_order" USING btree ("external_no") WHERE "work_order"."external_no" is not null;--> statement-breakpoint
CREATE INDEX "work_order_path_gist" ON "work_order" USING gist ("org_path");--> statement-breakpoint
CREATE INDEX "work_order_handler_gist" ON "work_order" USING gist ("handler_path");--> statement-breakpoint
CREATE INDEX "work_order_status_idx" ON "work_order" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "work_order_reporter_idx" ON "work_order" USING btree ("reporter_user_id","created_at");--> statement-breakpoint
CREATE INDEX "work_order_created_idx" ON "work_order" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_order_event_seq_key" ON "work_order_event" USING btree ("work_order_id","seq");--> statement-breakpoint
CREATE INDEX "work_order_event_type_idx" ON "work_order_event" USING btree ("type","at");--> statement-breakpoint
CREATE INDEX "work_order_whistle_dept_gist" ON "work_order_whistle" USING gist ("department_path");