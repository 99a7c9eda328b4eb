-- A file without a single valid feature creates no batch: the import keeps the batch's particulars and the batch is created with its first feature.
ALTER TABLE "imports" DROP CONSTRAINT "imports_batch_code_batches_code_fk";
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "batch" jsonb;