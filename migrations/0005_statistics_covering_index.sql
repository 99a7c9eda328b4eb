-- Covering indexes for the two hot read paths (see bench/queries.ts): index-only scans instead of the wide rows.
-- The statistics: one pass over the patches of a region and period.
CREATE INDEX IF NOT EXISTS "patches_statistics_idx" ON "patches" USING btree ("county_code", "issued_at")
  INCLUDE ("source", "military", "legality", "direct_determination", "concealed", "overdue", "verification_on_time",
           "rectified", "rectification_path", "imaged_at", "determined_area_mu", "determined_farmland_mu",
           "determined_sub_type", "major_infrastructure", "reviewed");
--> statement-breakpoint
-- The inbox's count: open tasks of a region subtree, with the classified flag the filter needs.
CREATE INDEX IF NOT EXISTS "tasks_inbox_idx" ON "tasks" USING btree ("status", "region_code", "due_at")
  INCLUDE ("restricted", "assignee_id", "type", "overdue");
