CREATE TABLE "import_features" (
	"import_id" text NOT NULL,
	"seq" integer NOT NULL,
	"patch_code" text,
	"status" text NOT NULL,
	"created" boolean DEFAULT false NOT NULL,
	"military" boolean DEFAULT false NOT NULL,
	"county_code" varchar(6),
	"declared_mu" double precision,
	"computed_mu" double precision,
	"imaged_on" text,
	"reasons" jsonb,
	"warnings" jsonb,
	CONSTRAINT "import_features_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"batch_code" text NOT NULL,
	"file_name" text NOT NULL,
	"file_hash" text NOT NULL,
	"file_path" text NOT NULL,
	"format" text NOT NULL,
	"crs" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"region_code" varchar(6) NOT NULL,
	"origin" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"total" integer NOT NULL,
	"cursor" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"started" integer DEFAULT 0 NOT NULL,
	"existing" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"warned" integer DEFAULT 0 NOT NULL,
	"military" integer DEFAULT 0 NOT NULL,
	"latest_imaged_on" text,
	"error" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "t10_late_days" integer;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "t10_late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "import_features" ADD CONSTRAINT "import_features_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_batch_code_batches_code_fk" FOREIGN KEY ("batch_code") REFERENCES "public"."batches"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_features_code_idx" ON "import_features" USING btree ("import_id","patch_code");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_batch_file_uq" ON "imports" USING btree ("batch_code","file_hash");--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("created_at");