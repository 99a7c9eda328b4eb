/**
 * The SQL of the statistics' rollup triggers (db/tables/statistics-rollup.ts), generated from its column
 * list: the migration that creates them holds this text (test/statistics-rollup.test.ts checks it stays so).
 *
 * Each statement on `patches` adds the rows it inserted and subtracts the rows it deleted (an update: both),
 * grouped by the rollup's key in key order, with one `insert … on conflict do update set c = c + excluded.c`:
 * the row lock makes concurrent writers add up (none is lost), and the key order keeps two multi-row
 * statements from deadlocking. Keys whose counters do not change (an update of other columns) are skipped.
 */
import { STATISTICS_ROLLUP_COLUMNS } from './tables/statistics-rollup';

const KEY = ['county_code', 'issued_on', 'batch_code', 'source', 'military'];

/** The rollup's key and counters of each row of `from` (aliased p), times `sign`. */
function contributions(from: string, sign: number): string {
  const counters = STATISTICS_ROLLUP_COLUMNS.map((c) => {
    const value = c.sum === 'area' ? 'p.determined_area_mu::numeric' : c.sum === 'farmland' ? 'p.determined_farmland_mu::numeric' : '1';
    return `case when ${c.when} then ${sign === 1 ? value : `-${value}`} else 0 end as ${c.name}`;
  });
  return `select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      ${counters.join(',\n      ')}
    from ${from} p`;
}

function upsert(parts: string[]): string {
  const names = STATISTICS_ROLLUP_COLUMNS.map((c) => c.name);
  return `insert into patch_statistics_rollup as r (${[...KEY, ...names].join(', ')})
    select ${KEY.join(', ')}, ${names.map((c) => `sum(${c})`).join(', ')}
    from (${parts.join('\n    union all\n    ')}) d
    group by ${KEY.join(', ')}
    having ${names.map((c) => `sum(${c}) <> 0`).join(' or ')}
    order by ${KEY.join(', ')}
    on conflict (${KEY.join(', ')}) do update set ${names.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')}`;
}

function triggerFunction(name: string, parts: string[]): string {
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${upsert(parts)};
  RETURN NULL;
END $$;`;
}

/** The migration's SQL: the functions, the triggers, and the rollup of the patches already there. */
export function statisticsRollupSql(): string {
  const statements = [
    triggerFunction('patch_statistics_rollup_insert', [contributions('new_patches', 1)]),
    triggerFunction('patch_statistics_rollup_update', [contributions('new_patches', 1), contributions('old_patches', -1)]),
    triggerFunction('patch_statistics_rollup_delete', [contributions('old_patches', -1)]),
    `CREATE OR REPLACE FUNCTION patch_statistics_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE patch_statistics_rollup;
  RETURN NULL;
END $$;`,
    `CREATE TRIGGER patch_statistics_rollup_insert AFTER INSERT ON patches REFERENCING NEW TABLE AS new_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_insert();`,
    `CREATE TRIGGER patch_statistics_rollup_update AFTER UPDATE ON patches REFERENCING OLD TABLE AS old_patches NEW TABLE AS new_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_update();`,
    `CREATE TRIGGER patch_statistics_rollup_delete AFTER DELETE ON patches REFERENCING OLD TABLE AS old_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_delete();`,
    `CREATE TRIGGER patch_statistics_rollup_truncate AFTER TRUNCATE ON patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_truncate();`,
    `LOCK TABLE patches IN SHARE MODE;`,
    `DELETE FROM patch_statistics_rollup;`,
    `${upsert([contributions('patches', 1)])};`,
    // The cut-off's recomputation reads the rectified patches only.
    `CREATE INDEX IF NOT EXISTS "patches_rectified_idx" ON "patches" USING btree ("county_code", "issued_at") INCLUDE ("source", "military", "legality", "rectified", "rectification_path", "case_no", "determined_area_mu", "determined_farmland_mu", "major_infrastructure") WHERE rectified;`,
  ];
  return statements.join('\n--> statement-breakpoint\n');
}
