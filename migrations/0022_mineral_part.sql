ALTER TABLE "patches" ADD COLUMN "mineral_case_no" text;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "mineral_finding" text GENERATED ALWAYS AS (determination->'mineral'->>'finding') STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "mineral_present" boolean GENERATED ALWAYS AS ((determination->'mineral'->>'present')::boolean) STORED;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "subject" text DEFAULT 'land' NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "direction" double precision;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "direction_ref" text;--> statement-breakpoint
-- The statistics query's covering index, with the mineral part's columns (地矿同核: counted apart) and the
-- send-back count (差错率), so that the pass over a region's patches stays an index-only scan.
DROP INDEX IF EXISTS "patches_statistics_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "batch_code", "case_no", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed", "onsite_checked", "province_checked", "province_found_illegal",
           "send_back_count", "mineral_finding", "mineral_present", "mineral_case_no");
