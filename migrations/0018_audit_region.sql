ALTER TABLE "audit_log" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "classified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_region_idx" ON "audit_log" USING btree ("region_code","at");