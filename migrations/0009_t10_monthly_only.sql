-- T+10 binds monthly batches only, on Shanghai calendar dates (domain/batches.ts t10Check, notice 000 二(一)):
-- recompute the stored flags, including those of batches registered by single-patch issuance without them.
UPDATE "batches" SET
  "t10_late_days" = CASE WHEN "kind" = 'monthly'
    THEN greatest(0, ("issued_at" AT TIME ZONE 'Asia/Shanghai')::date - (("imaged_at" AT TIME ZONE 'Asia/Shanghai')::date + 10))
    ELSE 0 END
  WHERE "imaged_at" IS NOT NULL;
--> statement-breakpoint
UPDATE "batches" SET "t10_late" = coalesce("t10_late_days", 0) > 0;
