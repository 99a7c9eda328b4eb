-- Every audit row is scoped to the region it concerns and marked when it is classified (military land,
-- holders of the classified-handling permission: 000 二(二); 002 三(三); 004 三(二)). Rows about a patch or a
-- case get their county on insert; user and policy rows are written with their region; 000000 otherwise.
CREATE OR REPLACE FUNCTION audit_common_region(a text, b text) RETURNS text AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL OR a = b THEN a
    WHEN a = '000000' OR b = '000000' THEN '000000'
    WHEN left(a, 4) = left(b, 4) AND right(a, 4) <> '0000' AND right(b, 4) <> '0000' THEN left(a, 4) || '00'
    WHEN left(a, 2) = left(b, 2) THEN left(a, 2) || '0000'
    ELSE '000000'
  END
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_scope() RETURNS trigger AS $$
DECLARE
  county text;
  secret boolean;
BEGIN
  IF NEW.patch_code IS NOT NULL THEN
    SELECT p.county_code, p.military INTO county, secret FROM patches p WHERE p.code = NEW.patch_code;
    NEW.region_code := coalesce(NEW.region_code, county);
    NEW.classified := NEW.classified OR coalesce(secret, false);
  END IF;
  IF NEW.case_no IS NOT NULL THEN
    SELECT c.county_code, coalesce(p.military, false) INTO county, secret
      FROM cases c LEFT JOIN patches p ON p.code = c.primary_patch_code WHERE c.case_no = NEW.case_no;
    NEW.region_code := coalesce(NEW.region_code, county);
    NEW.classified := NEW.classified OR coalesce(secret, false);
  END IF;
  NEW.region_code := coalesce(NEW.region_code, '000000');
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_scope BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_scope();
--> statement-breakpoint
-- The rows written before: the same rule, and for user rows the user's region (old and new when it moved).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
--> statement-breakpoint
UPDATE audit_log a SET
  region_code = coalesce(
    (SELECT p.county_code FROM patches p WHERE p.code = a.patch_code),
    (SELECT c.county_code FROM cases c WHERE c.case_no = a.case_no),
    CASE WHEN a.action = 'policy.changed' THEN a.after ->> 'regionCode' END,
    CASE WHEN a.action LIKE 'user.%' THEN (
      SELECT audit_common_region(coalesce(a.before ->> 'regionCode', a.after ->> 'regionCode', u.region_code), coalesce(a.after ->> 'regionCode', u.region_code))
      FROM (SELECT NULL) x LEFT JOIN users u ON u.id::text = a.after ->> 'userId'
    ) END,
    '000000'),
  classified =
    coalesce((SELECT p.military FROM patches p WHERE p.code = a.patch_code), false)
    OR EXISTS (SELECT 1 FROM cases c JOIN patches p ON p.code = c.primary_patch_code WHERE c.case_no = a.case_no AND p.military)
    OR (a.action LIKE 'user.%' AND (
      coalesce(a.before ->> 'classified', '') = 'true' OR coalesce(a.after ->> 'classified', '') = 'true'
      OR EXISTS (SELECT 1 FROM users u WHERE u.id::text = a.after ->> 'userId' AND u.classified)));
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
