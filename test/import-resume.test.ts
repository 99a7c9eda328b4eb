/**
 * An interrupted import resumes where it stopped and starts nothing twice: in process (stopped like a
 * crash in the middle of a chunk's workflow starts), and through the CLI killed with SIGKILL and run
 * again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importOptionsSchema } from '../domain/schemas/imports';
import { SYSTEM_ACTOR } from '../domain/types';
import { PROJECT_ROOT } from '../infra/config';
import { runImport } from '../ingest/importer';
import { createImport } from '../ingest/jobs';
import { openSource } from '../ingest/source';
import { syntheticFeatures, writeGeoJson } from '../scripts/synthetic/batch';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-resume-'));
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const NINGXIA = ['640104', '640105', '640106', '640121', '640122', '640181'];

async function batchFile(name: string, n: number, seed: number) {
  const file = path.join(dir, name);
  await writeGeoJson(file, syntheticFeatures({ n, seed, counties: NINGXIA, militaryShare: 0.05, tag: sys.unique('T') }), { crs: 'EPSG:4490' });
  return file;
}

/** Per patch of the job: the run that exists now is the one the first (audited) start created. */
async function assertStartedOnce(importId: string) {
  const rows = await sys.sql`
    select f.patch_code, a.run_id from import_features f
    left join audit_log a on a.patch_code = f.patch_code and a.action = 'patch.issued'
    where f.import_id = ${importId} and f.status <> 'rejected'`;
  for (const r of rows) {
    expect(r.run_id, `${r.patch_code} has its issuance audited`).toBeTruthy();
    const description = await sys.temporal.workflow.getHandle(r.patch_code).describe();
    expect(description.runId).toBe(r.run_id);
  }
  return rows.length;
}

describe('an interrupted import', () => {
  it('resumes in the middle of a chunk without starting anything twice', async () => {
    const file = await batchFile('inprocess.geojson', 90, 11);
    const source = await openSource(file);
    const options = importOptionsSchema.parse({ batchCode: sys.unique('R'), source: 'ministry', imagedOn: '2026-03-01', issuedOn: '2026-03-09' });
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const { job } = await createImport(sys.database.db, source, {
      filePath: file,
      fileName: 'inprocess.geojson',
      fileHash: hash,
      options,
      actor: SYSTEM_ACTOR,
      origin: 'cli',
    });
    const deps = { db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue };

    const cut = await runImport(deps, job.id, { owner: 'first', chunkSize: 30, concurrency: 3, stopAfterStarts: 45 });
    expect(cut).toMatchObject({ status: 'interrupted', cursor: 30 });
    // The second chunk was decided and recorded, and only partly started; the third was decided and recorded
    // while the second's workflows were being started (two chunks in flight), and none of it started.
    const [state] =
      await sys.sql`select count(*) filter (where status = 'accepted')::int as pending, count(*)::int as decided from import_features where import_id = ${job.id}`;
    expect(state.decided).toBe(90);
    expect(state.pending).toBeGreaterThanOrEqual(30);
    expect(state.pending).toBeGreaterThan(0);

    const done = await runImport(deps, job.id, { owner: 'second', chunkSize: 30, concurrency: 3 });
    expect(done).toMatchObject({ status: 'completed', cursor: 90, total: 90, accepted: 90, started: 90, existing: 0, rejected: 0 });
    expect(done.military).toBeGreaterThan(0);
    expect(await assertStartedOnce(job.id)).toBe(90);
    const [{ n }] = await sys.sql`select count(*)::int as n from patches where batch_code = ${options.batchCode}`;
    expect(n).toBe(90);
    // Running it again is a no-op.
    const again = await runImport(deps, job.id, { owner: 'third' });
    expect(again).toMatchObject({ status: 'completed', started: 90 });
  });

  it('resumes after the CLI was killed, when the command is run again', async () => {
    const file = await batchFile('cli.geojson', 300, 12);
    const [{ db }] = await sys.sql`select current_database() as db`;
    const env = {
      ...process.env,
      DATABASE_URL: inject('pgServerUrl').replace(/\/postgres$/, `/${db}`),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      TEMPORAL_NAMESPACE: sys.namespace,
    };
    const batchCode = sys.unique('C');
    const args = [
      path.join(PROJECT_ROOT, 'scripts/import.ts'),
      file,
      '--batch',
      batchCode,
      '--source',
      'province',
      '--imaged',
      '2026-03-01',
      '--issued',
      '2026-03-20',
      '--chunk-size',
      '25',
      '--concurrency',
      '4',
    ];
    const run = (extra: string[], killAtProgress: boolean) =>
      new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; killedAt?: number }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', ...args, ...extra], { cwd: PROJECT_ROOT, env });
        let stdout = '';
        let stderr = '';
        let killedAt: number | undefined;
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => {
          stderr += d;
          const progress = /\] (\d+)\/300/.exec(String(d));
          if (killAtProgress && progress && killedAt === undefined) {
            killedAt = Number(progress[1]);
            child.kill('SIGKILL');
          }
        });
        child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, killedAt }));
      });

    const first = await run([], true);
    expect(first.signal).toBe('SIGKILL');
    expect(first.stderr).toContain('新建导入');
    expect(first.killedAt).toBeLessThan(300);
    const [cut] = await sys.sql`select id, status, cursor, lease_owner from imports where batch_code = ${batchCode}`;
    expect(cut.status).toBe('running'); // as a crash leaves it: still leased
    expect(cut.cursor).toBeLessThan(300);
    expect(cut.lease_owner).toBeTruthy();

    const second = await run(['--take-over'], false);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`继续导入 ${cut.id}`);
    expect(second.stdout).toMatch(/导入 IMP\w+ 完成：300 个要素，接收 300（新下发图斑 300/);
    expect(second.stdout).toContain('晚于 T+10（2026-03-11）9 天下发');
    const [job] = await sys.sql`select status, cursor, started, existing, lease_owner from imports where id = ${cut.id}`;
    expect(job).toEqual({ status: 'completed', cursor: 300, started: 300, existing: 0, lease_owner: null });
    expect(await assertStartedOnce(cut.id)).toBe(300);
  });
});
