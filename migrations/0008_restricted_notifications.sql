ALTER TABLE "notifications" ADD COLUMN "restricted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Tasks of military patches are restricted, including extension decisions opened before this fix (000, 002, 004).
UPDATE "tasks" t SET "restricted" = true FROM "patches" p WHERE p."code" = t."patch_code" AND p."military" AND NOT t."restricted";--> statement-breakpoint
UPDATE "notifications" n SET "restricted" = true FROM "tasks" t WHERE t."id" = n."task_id" AND t."restricted";--> statement-breakpoint
-- Military land is reported offline, never over the network: its geometry is not kept.
UPDATE "patches" SET "geometry" = NULL, "centroid" = NULL WHERE "military";
