ALTER TABLE "notifications" ADD COLUMN "user_id" integer;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");