/**
 * Fault: the worker process is SIGKILLed every few seconds while a 2,000-patch batch is imported through
 * the API and its workflows make their first tasks. A new worker process is started after each kill (as
 * npm start's supervisor does). After: the import completed with no manual step, and every patch has
 * exactly one workflow, one open first task and one patch.issued audit row. Prints what it counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrity, intact, settled, syntheticBatch } from './support/fault-checks';
import { uploadBatch } from './support/imports';
import { startTestSystem, type TestSystem } from './support/system';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

/** 2,000 in CI; FAULT_PATCHES makes a quicker run on a busy machine. */
const N = Number(process.env.FAULT_PATCHES ?? 2000);
const KILL_EVERY_MS = 4000;

let sys: TestSystem;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  sys = await startTestSystem({ worker: 'none' });
});
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await sys?.stop();
});

describe('a worker SIGKILLed every few seconds during a 2,000-patch import', () => {
  it('loses and duplicates nothing, and the import completes by itself', { timeout: 900_000 }, async () => {
    const admin = await sys.login('admin');
    const { bytes } = await syntheticBatch(sys, N, 41);
    const batchCode = sys.unique('K');
    const t0 = Date.now();
    worker = spawnWorker(sys);
    await worker.ready;
    const upload = await uploadBatch(
      sys,
      admin,
      { bytes, name: 'killed-worker.geojson' },
      { batchCode, source: 'ministry', kind: 'monthly', imagedOn: '2026-03-01', issuedOn: '2026-03-09' },
    );
    expect(upload.status, JSON.stringify(upload.body)).toBe(202);

    // Kill the worker every few seconds while the import runs (and at least 6 times): each kill cuts
    // into workflow tasks and activities in flight (their first tasks being written).
    let kills = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
      const job = await sys.http('GET', `/api/imports/${upload.body.id}`, { token: admin });
      const [{ open }] =
        await sys.sql`select count(*)::int as open from tasks t join patches p on p.code = t.patch_code where p.batch_code = ${batchCode} and t.type in ('verification', 'military_report')`;
      console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] import ${job.body.status} ${job.body.processed}/${N}, first tasks ${open}, kills ${kills}`);
      if ((kills >= 6 && job.body.status === 'completed') || Date.now() - t0 > 180_000) break;
      await worker.kill('SIGKILL');
      kills++;
      worker = spawnWorker(sys);
      await worker.ready;
    }
    const job = (await sys.http('GET', `/api/imports/${upload.body.id}`, { token: admin })).body;
    const counts = await settled(sys, batchCode, N, 600_000);
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(
      `worker kills: ${kills} SIGKILLs every ${KILL_EVERY_MS / 1000} s over ${seconds} s; import ${job.status} (started ${job.started}, existing ${job.existing}, rejected ${job.rejected}); ` +
        `patches ${counts.patches}, workflows ${counts.workflows} (mismatched ${counts.workflowMismatches}), one open first task ${counts.oneOpenFirstTask} (duplicated ${counts.duplicatedFirstTasks}), ` +
        `one patch.issued row ${counts.oneIssuedAudit} (missing ${counts.missingIssuedAudit}, duplicated ${counts.duplicatedIssuedAudit})`,
    );
    expect(job.status).toBe('completed');
    expect(kills).toBeGreaterThanOrEqual(6);
    expect(counts).toEqual(intact(N));
    // Still so a while later (nothing more was being made behind the last look).
    await new Promise((r) => setTimeout(r, 3000));
    expect(await integrity(sys, batchCode)).toEqual(counts);
  });
});
