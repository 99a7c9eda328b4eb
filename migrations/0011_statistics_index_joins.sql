-- The statistics query now reads the batch (T+10 flag), the case (rectification cut-off) and the on-site
-- check flag of each patch, and no longer its imaging date: the covering index follows, so that the pass
-- over a region's patches stays an index-only scan (see bench/queries.ts).
DROP INDEX IF EXISTS "patches_statistics_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "batch_code", "case_no", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed", "onsite_checked");
