-- The quota ledger is append-only like the audit log: an entry, once booked, is never changed or removed;
-- a correction is a new entry. The balances (quota_balances) move only with a new entry.
CREATE OR REPLACE FUNCTION quota_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'quota_ledger is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER quota_ledger_no_update BEFORE UPDATE OR DELETE ON quota_ledger
  FOR EACH ROW EXECUTE FUNCTION quota_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER quota_ledger_no_truncate BEFORE TRUNCATE ON quota_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION quota_ledger_append_only();
