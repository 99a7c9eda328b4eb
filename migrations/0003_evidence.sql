CREATE TABLE "evidence_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"patch_code" text NOT NULL,
	"kind" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"original_name" text,
	"uploaded_by" integer,
	"gps_lat" double precision,
	"gps_lng" double precision,
	"captured_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_patch_code_patches_code_fk" FOREIGN KEY ("patch_code") REFERENCES "public"."patches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_files_sha_patch_uq" ON "evidence_files" USING btree ("sha256","patch_code");--> statement-breakpoint
CREATE INDEX "evidence_files_patch_idx" ON "evidence_files" USING btree ("patch_code");