DROP INDEX "patches_county_idx";--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "verification_on_time" boolean;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "rectified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "rectification_path" text;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "determined_area_mu" double precision GENERATED ALWAYS AS (coalesce((determination->'areas'->>'totalMu')::float8, area_mu)) STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "determined_farmland_mu" double precision GENERATED ALWAYS AS (coalesce((determination->'areas'->>'farmlandMu')::float8, 0)) STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "determined_sub_type" text GENERATED ALWAYS AS (determination->>'subType') STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "major_infrastructure" boolean GENERATED ALWAYS AS (coalesce((determination->>'majorInfrastructure')::boolean, false)) STORED;--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "reviewed" boolean GENERATED ALWAYS AS (coalesce((review_draws->'city'->>'selected')::boolean, false) or coalesce((review_draws->'province'->>'selected')::boolean, false)) STORED;--> statement-breakpoint
CREATE INDEX "patches_county_issued_idx" ON "patches" USING btree ("county_code","issued_at");