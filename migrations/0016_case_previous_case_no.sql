ALTER TABLE "cases" ADD COLUMN "previous_case_no" text;--> statement-breakpoint
CREATE INDEX "cases_previous_idx" ON "cases" USING btree ("previous_case_no");