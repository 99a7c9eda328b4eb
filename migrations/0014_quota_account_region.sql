ALTER TABLE "quota_balances" ADD COLUMN "region_code" varchar(6);--> statement-breakpoint
ALTER TABLE "quota_ledger" ADD COLUMN "region_code" varchar(6);--> statement-breakpoint
-- Until now every account was the county's: the entries and balances so far keep it as their holder.
ALTER TABLE "quota_ledger" DISABLE TRIGGER "quota_ledger_no_update";--> statement-breakpoint
UPDATE "quota_ledger" SET "region_code" = "county_code" WHERE "region_code" IS NULL;--> statement-breakpoint
ALTER TABLE "quota_ledger" ENABLE TRIGGER "quota_ledger_no_update";--> statement-breakpoint
UPDATE "quota_balances" SET "region_code" = "county_code" WHERE "region_code" IS NULL;
