CREATE TABLE "patch_splits" (
	"id" serial PRIMARY KEY NOT NULL,
	"parent_code" text NOT NULL,
	"children" jsonb NOT NULL,
	"parent_area_mu" double precision NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "parent_code" text;--> statement-breakpoint
ALTER TABLE "patch_splits" ADD CONSTRAINT "patch_splits_parent_code_patches_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."patches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patch_splits_parent_idx" ON "patch_splits" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "patches_parent_idx" ON "patches" USING btree ("parent_code");--> statement-breakpoint
-- The statistics query reads whether a patch is a split's child (parent_code) or a split parent (stage): the
-- covering index takes both in, so that the pass over a region's patches stays an index-only scan.
DROP INDEX IF EXISTS "patches_statistics_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "batch_code", "case_no", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed", "onsite_checked", "province_checked", "province_found_illegal",
           "send_back_count", "mineral_finding", "mineral_present", "mineral_case_no", "parent_code", "stage");
