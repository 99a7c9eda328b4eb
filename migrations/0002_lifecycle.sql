CREATE TABLE "case_patches" (
	"case_no" text NOT NULL,
	"patch_code" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_patches_case_no_patch_code_pk" PRIMARY KEY("case_no","patch_code")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"case_no" text PRIMARY KEY NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"workflow_id" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
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
ALTER TABLE "tasks" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "extended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "case_patches_patch_idx" ON "case_patches" USING btree ("patch_code");--> statement-breakpoint
CREATE INDEX "cases_county_idx" ON "cases" USING btree ("county_code");