CREATE TABLE "case_patches" (
	"case_no" text NOT NULL,
	"patch_code" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_patches_case_no_patch_code_pk" PRIMARY KEY("case_no","patch_code")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"case_no" text PRIMARY KEY NOT NULL,
	"request_key" text,
	"county_code" varchar(6) NOT NULL,
	"city_code" varchar(6),
	"province_code" varchar(6),
	"primary_patch_code" text,
	"year" integer,
	"origin" text DEFAULT 'determination' NOT NULL,
	"status" text DEFAULT 'register' NOT NULL,
	"workflow_id" text,
	"illegal_mu" double precision,
	"illegal_farmland_mu" double precision,
	"party" jsonb,
	"site" text,
	"facts" text,
	"decision" jsonb,
	"path" text,
	"rectification_plan" jsonb,
	"rectification" jsonb,
	"certificate_no" text,
	"eliminated" boolean DEFAULT false NOT NULL,
	"merged_into" text,
	"overdue" boolean DEFAULT false NOT NULL,
	"due_at" timestamp with time zone,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"registered_at" timestamp with time zone,
	"eliminated_at" timestamp with time zone,
	"struck_off_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_request_key_unique" UNIQUE("request_key")
);
--> statement-breakpoint
CREATE TABLE "quota_balances" (
	"county_code" varchar(6) NOT NULL,
	"account" text NOT NULL,
	"frozen_mu" numeric(14, 4) DEFAULT 0 NOT NULL,
	"unfrozen_mu" numeric(14, 4) DEFAULT 0 NOT NULL,
	"deducted_mu" numeric(14, 4) DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_balances_county_code_account_pk" PRIMARY KEY("county_code","account"),
	CONSTRAINT "quota_balances_frozen_nonnegative" CHECK ("quota_balances"."frozen_mu" >= 0),
	CONSTRAINT "quota_balances_unfrozen_nonnegative" CHECK ("quota_balances"."unfrozen_mu" >= 0),
	CONSTRAINT "quota_balances_deducted_nonnegative" CHECK ("quota_balances"."deducted_mu" >= 0)
);
--> statement-breakpoint
CREATE TABLE "quota_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_key" text NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"account" text NOT NULL,
	"kind" text NOT NULL,
	"area_mu" numeric(14, 4) NOT NULL,
	"case_no" text NOT NULL,
	"patch_code" text NOT NULL,
	"reason" text,
	"actor_name" text NOT NULL,
	"workflow_id" text,
	"run_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_ledger_entry_key_unique" UNIQUE("entry_key"),
	CONSTRAINT "quota_ledger_area_positive" CHECK ("quota_ledger"."area_mu" > 0)
);
--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "county_legality" text;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "concealed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "determined_level" text;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "send_back_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "onsite_checks" jsonb;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "case_no" text;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "region_policies" ADD COLUMN "broadcast_workflow_id" text;--> statement-breakpoint
ALTER TABLE "region_policies" ADD COLUMN "broadcast_signalled" integer;--> statement-breakpoint
ALTER TABLE "region_policies" ADD COLUMN "broadcast_done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "case_no" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "extended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "case_patches_patch_idx" ON "case_patches" USING btree ("patch_code");--> statement-breakpoint
CREATE INDEX "cases_county_idx" ON "cases" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "quota_ledger_county_idx" ON "quota_ledger" USING btree ("county_code","at");--> statement-breakpoint
CREATE INDEX "quota_ledger_case_idx" ON "quota_ledger" USING btree ("case_no");--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_no");