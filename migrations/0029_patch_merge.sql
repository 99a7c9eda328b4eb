CREATE TABLE "patch_merges" (
	"id" serial PRIMARY KEY NOT NULL,
	"lead_code" text NOT NULL,
	"sources" jsonb NOT NULL,
	"source_codes" jsonb NOT NULL,
	"merged_code" text NOT NULL,
	"geometry" jsonb NOT NULL,
	"area_mu" double precision NOT NULL,
	"legality" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "merged_from" jsonb;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "merged_into" text;--> statement-breakpoint
CREATE INDEX "patch_merges_lead_idx" ON "patch_merges" USING btree ("lead_code");--> statement-breakpoint
-- The statistics query reads whether a patch is a merged patch (merged_from): the covering index takes it in, so
-- that the pass over a region's patches stays an index-only scan.
DROP INDEX IF EXISTS "patches_statistics_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "batch_code", "case_no", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed", "onsite_checked", "province_checked", "province_found_illegal",
           "send_back_count", "mineral_finding", "mineral_present", "mineral_case_no", "parent_code", "stage", "merged_from");
