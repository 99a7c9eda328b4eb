/**
 * What the fault tests check after a fault: every patch of the batch has exactly one workflow, one open
 * first task and one `patch.issued` audit row — counted, so that the tests can print what they saw.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticFeatures, writeGeoJson } from '../../scripts/synthetic/batch';
import { eventually, type TestSystem } from './system';

export const NINGXIA = ['640104', '640105', '640106', '640121', '640122', '640181'];

/** A synthetic batch of `n` valid patches in Ningxia's counties, as a GeoJSON file. */
export async function syntheticBatch(sys: TestSystem, n: number, seed: number): Promise<{ file: string; bytes: Buffer }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-fault-'));
  const file = path.join(dir, 'batch.geojson');
  await writeGeoJson(file, syntheticFeatures({ n, seed, counties: NINGXIA, militaryShare: 0.05, tag: sys.unique('F') }), { crs: 'EPSG:4490' });
  const { readFileSync } = await import('node:fs');
  return { file, bytes: readFileSync(file) };
}

export interface Integrity {
  patches: number;
  workflows: number;
  /** Patches whose workflow id is not listed once (missing or more than one run). */
  workflowMismatches: number;
  /** Patches with exactly one first task (verification; the military report for a military patch), and it open. */
  oneOpenFirstTask: number;
  /** Patches with more than one first task. */
  duplicatedFirstTasks: number;
  /** Patches with exactly one patch.issued audit row. */
  oneIssuedAudit: number;
  missingIssuedAudit: number;
  duplicatedIssuedAudit: number;
}

/** The counts of a batch of `n` patches that lost nothing and duplicated nothing. */
export const intact = (n: number): Integrity => ({
  patches: n,
  workflows: n,
  workflowMismatches: 0,
  oneOpenFirstTask: n,
  duplicatedFirstTasks: 0,
  oneIssuedAudit: n,
  missingIssuedAudit: 0,
  duplicatedIssuedAudit: 0,
});

/** Counts the invariants over the batch's patches. */
export async function integrity(sys: TestSystem, batchCode: string, opts: { workflows?: boolean } = {}): Promise<Integrity> {
  const codes = (await sys.sql`select code from patches where batch_code = ${batchCode}`).map((r) => r.code as string);
  const listed = new Map<string, number>();
  if (opts.workflows !== false) {
    for await (const wf of sys.temporal.workflow.list({ query: `BatchCode = '${batchCode}' AND WorkflowType = 'patchWorkflow'` })) {
      listed.set(wf.workflowId, (listed.get(wf.workflowId) ?? 0) + 1);
    }
  }
  const [tasks] = await sys.sql`
    with per as (
      select p.code,
             count(t.id) filter (where t.type in ('verification', 'military_report')) as first,
             count(t.id) filter (where t.type in ('verification', 'military_report') and t.status = 'open') as open_first
      from patches p left join tasks t on t.patch_code = p.code
      where p.batch_code = ${batchCode} group by p.code)
    select count(*) filter (where first = 1 and open_first = 1)::int as one, count(*) filter (where first > 1)::int as dup from per`;
  const [audit] = await sys.sql`
    with per as (
      select p.code, count(a.id) as n
      from patches p left join audit_log a on a.patch_code = p.code and a.action = 'patch.issued'
      where p.batch_code = ${batchCode} group by p.code)
    select count(*) filter (where n = 1)::int as one, count(*) filter (where n = 0)::int as missing, count(*) filter (where n > 1)::int as dup from per`;
  return {
    patches: codes.length,
    workflows: listed.size,
    workflowMismatches: codes.filter((c) => listed.get(c) !== 1).length,
    oneOpenFirstTask: tasks.one,
    duplicatedFirstTasks: tasks.dup,
    oneIssuedAudit: audit.one,
    missingIssuedAudit: audit.missing,
    duplicatedIssuedAudit: audit.dup,
  };
}

/** Waits until every patch of the batch has its workflow listed and its first task open. */
export async function settled(sys: TestSystem, batchCode: string, n: number, timeoutMs = 240_000): Promise<Integrity> {
  let last: Integrity | undefined;
  try {
    return await eventually(
      async () => {
        // The visibility listing is slow: only once the tasks are all there.
        last = await integrity(sys, batchCode, { workflows: false });
        if (last.patches !== n || last.oneOpenFirstTask !== n) return undefined;
        last = await integrity(sys, batchCode);
        return last.workflows === n ? last : undefined;
      },
      timeoutMs,
      2000,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last counts ${JSON.stringify(last)}`);
  }
}
