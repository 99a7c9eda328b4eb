ALTER TABLE "patches" ADD COLUMN "province_checked" boolean GENERATED ALWAYS AS (coalesce((review_draws->'province'->>'selected')::boolean, false) or coalesce(jsonb_typeof(onsite_checks) = 'array' and onsite_checks @> '[{"level": "province"}]'::jsonb, false)) STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "province_found_illegal" boolean GENERATED ALWAYS AS ((coalesce((review_draws->'province'->>'selected')::boolean, false) and coalesce(review_draws->'province'->>'legality', '') <> 'illegal') or coalesce(jsonb_typeof(onsite_checks) = 'array' and onsite_checks @? '$[*] ? (@.level == "province" && @.result == "overturned" && @.to == "illegal" && !(@.from == "illegal"))', false)) STORED;--> statement-breakpoint
-- The statistics query reads the two columns above instead of the review draws and on-site checks: the
-- covering index takes them in, so that the pass over a region's patches stays an index-only scan.
DROP INDEX IF EXISTS "patches_statistics_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "batch_code", "case_no", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed", "onsite_checked", "province_checked", "province_found_illegal");
--> statement-breakpoint
-- The inbox: open tasks in due order for a wide region (a province's page walks this index and stops after
-- a page), and the count of a region's open tasks without reading the table (restricted is included).
CREATE INDEX IF NOT EXISTS "tasks_open_due_idx" ON "tasks" USING btree ("status", "due_at", "id") INCLUDE ("region_code", "restricted");
--> statement-breakpoint
DROP INDEX IF EXISTS "tasks_open_region_due_idx";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_open_region_due_idx" ON "tasks" USING btree ("status", "region_code", "due_at") INCLUDE ("restricted");
