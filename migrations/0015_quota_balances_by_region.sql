ALTER TABLE "quota_balances" DROP CONSTRAINT "quota_balances_county_code_account_pk";--> statement-breakpoint
ALTER TABLE "quota_balances" ALTER COLUMN "region_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "quota_ledger" ALTER COLUMN "region_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "quota_balances" ADD CONSTRAINT "quota_balances_region_code_account_pk" PRIMARY KEY("region_code","account");--> statement-breakpoint
CREATE INDEX "quota_ledger_region_idx" ON "quota_ledger" USING btree ("region_code","account");--> statement-breakpoint
ALTER TABLE "quota_balances" DROP COLUMN "county_code";