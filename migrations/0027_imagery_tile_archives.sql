ALTER TABLE "imagery" ADD COLUMN "min_zoom" integer;--> statement-breakpoint
ALTER TABLE "imagery" ADD COLUMN "max_zoom" integer;