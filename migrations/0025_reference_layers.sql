CREATE TABLE "layer_features" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"layer_id" integer NOT NULL,
	"bbox" "box" NOT NULL,
	"geometry" jsonb NOT NULL,
	"document_number" text,
	"document_date" text
);
--> statement-breakpoint
CREATE TABLE "patch_measurements" (
	"patch_code" text PRIMARY KEY NOT NULL,
	"total_mu" double precision NOT NULL,
	"farmland_mu" double precision NOT NULL,
	"basic_farmland_mu" double precision NOT NULL,
	"red_line_mu" double precision NOT NULL,
	"urban_boundary_mu" double precision NOT NULL,
	"approvals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"layers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"measured_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_layers" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"file_name" text,
	"format" text NOT NULL,
	"status" text DEFAULT 'importing' NOT NULL,
	"feature_count" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "layer_features_bbox_gist" ON "layer_features" USING gist ("bbox");--> statement-breakpoint
CREATE INDEX "layer_features_layer_idx" ON "layer_features" USING btree ("layer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_layers_version_uq" ON "reference_layers" USING btree ("region_code","kind","version");