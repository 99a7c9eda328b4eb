CREATE TABLE "patch_splits" (
	"id" serial PRIMARY KEY NOT NULL,
	"parent_code" text NOT NULL,
	"children" jsonb NOT NULL,
	"parent_area_mu" double precision NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patches" ADD COLUMN "parent_code" text;--> statement-breakpoint
ALTER TABLE "patch_splits" ADD CONSTRAINT "patch_splits_parent_code_patches_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."patches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patch_splits_parent_idx" ON "patch_splits" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "patches_parent_idx" ON "patches" USING btree ("parent_code");