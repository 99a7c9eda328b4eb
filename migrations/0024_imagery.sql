CREATE TABLE "imagery" (
	"id" serial PRIMARY KEY NOT NULL,
	"batch_code" text NOT NULL,
	"patch_code" text,
	"phase" text NOT NULL,
	"format" text NOT NULL,
	"path" text NOT NULL,
	"size" integer NOT NULL,
	"imaged_at" timestamp with time zone,
	"west" double precision NOT NULL,
	"south" double precision NOT NULL,
	"east" double precision NOT NULL,
	"north" double precision NOT NULL,
	"source" text,
	"uploaded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_imagery_services" (
	"region_code" varchar(6) PRIMARY KEY NOT NULL,
	"services" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "imagery" ADD CONSTRAINT "imagery_batch_code_batches_code_fk" FOREIGN KEY ("batch_code") REFERENCES "public"."batches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imagery" ADD CONSTRAINT "imagery_patch_code_patches_code_fk" FOREIGN KEY ("patch_code") REFERENCES "public"."patches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imagery" ADD CONSTRAINT "imagery_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_imagery_services" ADD CONSTRAINT "region_imagery_services_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_imagery_services" ADD CONSTRAINT "region_imagery_services_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imagery_patch_idx" ON "imagery" USING btree ("patch_code");--> statement-breakpoint
CREATE INDEX "imagery_batch_idx" ON "imagery" USING btree ("batch_code");