CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"patch_code" text,
	"case_no" text,
	"task_id" text,
	"before" jsonb,
	"after" jsonb,
	"workflow_id" text,
	"run_id" text,
	CONSTRAINT "audit_log_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"imaged_at" timestamp with time zone,
	"issued_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"patch_code" text,
	"task_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "patches" (
	"code" text PRIMARY KEY NOT NULL,
	"batch_code" text,
	"county_code" varchar(6) NOT NULL,
	"city_code" varchar(6) NOT NULL,
	"province_code" varchar(6) NOT NULL,
	"category" text NOT NULL,
	"source" text NOT NULL,
	"batch_kind" text NOT NULL,
	"area_mu" double precision NOT NULL,
	"farmland_mu" double precision,
	"geometry" jsonb,
	"centroid" jsonb,
	"military" boolean DEFAULT false NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"imaged_at" timestamp with time zone,
	"workflow_id" text,
	"stage" text DEFAULT 'issued' NOT NULL,
	"legality" text,
	"determination" jsonb,
	"direct_determination" boolean DEFAULT false NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"due_at" timestamp with time zone,
	"review_draws" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_policies" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"version" integer NOT NULL,
	"overrides" jsonb NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" varchar(6) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" varchar(6)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"patch_code" text,
	"type" text NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"event_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"overdue" boolean DEFAULT false NOT NULL,
	"overdue_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"policy_version" integer,
	"assignee_id" integer,
	"context" jsonb,
	"result" jsonb,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"closed_by_name" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"classified" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "patches" ADD CONSTRAINT "patches_batch_code_batches_code_fk" FOREIGN KEY ("batch_code") REFERENCES "public"."batches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patches" ADD CONSTRAINT "patches_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_policies" ADD CONSTRAINT "region_policies_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_policies" ADD CONSTRAINT "region_policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_patch_idx" ON "audit_log" USING btree ("patch_code","at");--> statement-breakpoint
CREATE INDEX "audit_case_idx" ON "audit_log" USING btree ("case_no","at");--> statement-breakpoint
CREATE INDEX "notifications_region_idx" ON "notifications" USING btree ("region_code","created_at");--> statement-breakpoint
CREATE INDEX "patches_county_idx" ON "patches" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "patches_city_idx" ON "patches" USING btree ("city_code");--> statement-breakpoint
CREATE INDEX "patches_stage_idx" ON "patches" USING btree ("stage");--> statement-breakpoint
CREATE INDEX "patches_batch_idx" ON "patches" USING btree ("batch_code");--> statement-breakpoint
CREATE UNIQUE INDEX "region_policies_region_version_uq" ON "region_policies" USING btree ("region_code","version");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tasks_open_region_due_idx" ON "tasks" USING btree ("status","region_code","due_at");--> statement-breakpoint
CREATE INDEX "tasks_patch_idx" ON "tasks" USING btree ("patch_code");--> statement-breakpoint
CREATE INDEX "tasks_workflow_idx" ON "tasks" USING btree ("workflow_id");