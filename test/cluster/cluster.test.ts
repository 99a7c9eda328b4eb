/**
 * `npm run test:cluster`: `npm run start:cluster` (Temporal 1.29.1 on PostgreSQL as four service
 * processes, two project workers, the API) reaches ready with /api/health naming every service; the
 * vertical slice and a patch → case → acceptance → unfreeze path run through the API; then faults, each
 * counting what was lost or duplicated over a batch imported through the API (want 0 and 0): the history
 * service SIGKILLed mid-import, one of the two project workers SIGKILLed (the other carries on),
 * PostgreSQL stopped for 20 s. Finally a second start keeps the data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterUnderTest, startClusterUnderTest } from '../support/cluster';
import { integrity, intact, settled, syntheticBatch } from '../support/fault-checks';
import {
  balances,
  caseTaskOf,
  completeAs,
  decision,
  determination,
  illegalPatchWithCase,
  issueAndWaitForTask,
  openTaskOf,
  registration,
} from '../support/fixtures';
import { uploadBatch, waitForImport } from '../support/imports';
import { alive } from '../support/processes';
import { eventually } from '../support/system';

/** Patches per fault batch (CLUSTER_FAULT_PATCHES for a quicker or a heavier run). */
const N = Number(process.env.CLUSTER_FAULT_PATCHES ?? 300);

let sys: ClusterUnderTest;
/** The slice's patch, looked for again after the second start. */
let slicePatch: string;
const t0 = Date.now();
beforeAll(async () => {
  sys = await startClusterUnderTest();
  console.log(`start:cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
afterAll(async () => {
  await sys?.stop();
});

/** Imports a synthetic batch of N through the API; runs `during` once the import is under way; returns the counts once settled. */
async function importWith(seed: number, during: () => Promise<string>) {
  const admin = await sys.login('admin');
  const { bytes } = await syntheticBatch(sys, N, seed);
  const batchCode = sys.unique('K');
  const upload = await uploadBatch(
    sys,
    admin,
    { bytes, name: `cluster-${seed}.geojson` },
    { batchCode, source: 'ministry', kind: 'monthly', imagedOn: '2026-03-01', issuedOn: '2026-03-09' },
  );
  expect(upload.status, JSON.stringify(upload.body)).toBe(202);
  await eventually(async () => (await sys.http('GET', `/api/imports/${upload.body.id}`, { token: admin })).body.processed > 0, 120_000, 200);
  const what = await during();
  const { job } = await waitForImport(sys, admin, upload.body.id, 600_000);
  const counts = await settled(sys, batchCode, N, 600_000);
  console.log(
    `${what}: import ${job.status} (started ${job.started}, existing ${job.existing}, rejected ${job.rejected}); patches ${counts.patches}, ` +
      `workflows ${counts.workflows} (mismatched ${counts.workflowMismatches}), one open first task ${counts.oneOpenFirstTask} ` +
      `(duplicated ${counts.duplicatedFirstTasks}), one patch.issued row ${counts.oneIssuedAudit} (missing ${counts.missingIssuedAudit}, ` +
      `duplicated ${counts.duplicatedIssuedAudit})`,
  );
  expect(counts).toEqual(intact(N));
  await new Promise((r) => setTimeout(r, 3000));
  expect(await integrity(sys, batchCode)).toEqual(counts);
}

/** `start:cluster` seeds the demo's land layers, so the test's patches are measured: the areas they file differ, with this reason. */
const DEMO_LAYERS = '以现场核实面积为准（演示图层测算与此不符）';
describe('npm run start:cluster', () => {
  it('reaches ready with every service up and /api/health naming them', async () => {
    expect(sys.output()).toMatch(/temporal-frontend\s+pid \d+/);
    for (const name of ['temporal-history', 'temporal-matching', 'temporal-worker', 'worker-1', 'worker-2', 'api']) expect(sys.output()).toContain(name);
    const health = await sys.http('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(Object.keys(health.body.temporalServices).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    for (const s of Object.values(health.body.temporalServices)) expect(s).toMatchObject({ ok: true });
    expect(health.body.worker.pollers).toBeGreaterThanOrEqual(2);
    expect(sys.pidsOf('--service history')).toHaveLength(1);
    expect(sys.pidsOf('worker/main.ts')).toHaveLength(2);
  });

  it('runs the vertical slice: a patch verified legal and reviewed where the chain says so, and the overdue query on the cluster', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', areaMu: 2 });
    slicePatch = code;
    let answer = await completeAs(sys, 'na.officer', task.id, determination('legal', { totalMu: 2 }, { areasOverrideReason: DEMO_LAYERS }));
    if (answer.stage === 'review')
      answer = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
    expect(answer.stage).not.toMatch(/verification|review/);
    // Custom search attributes on SQL visibility (the demo's overdue patch is in Ningxia).
    const overdue = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of sys.temporal.workflow.list({ query: `Overdue = true AND ProvinceCode = '640000'` })) ids.push(wf.workflowId);
        return ids.length ? ids : undefined;
      },
      120_000,
      1000,
    );
    expect(overdue.length).toBeGreaterThan(0);
  });

  it('takes a patch to a case, through the three acceptances, and unfreezes its farmland', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 8, farmlandMu: 6, areasOverrideReason: DEMO_LAYERS });
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南自然资停〔2026〕3号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '拆除厂房、复垦为耕地',
      plannedBy: '2026-12-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-20',
      rectifiedMu: 8,
      notes: '已拆除复垦',
      evidence: [],
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕16号',
    });
    const confirmed = await completeAs(sys, 'fj.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer')).id, { decision: 'confirm' });
    expect(confirmed).toMatchObject({ eliminated: true });
    const after = await eventually(async () => {
      const b = await balances(sys, '350583');
      return b.unfrozen - before.unfrozen >= 6 ? b : undefined;
    }, 60_000);
    expect(after.unfrozen - before.unfrozen).toBeCloseTo(6);
    expect(after.frozen - before.frozen).toBeCloseTo(0);
  });
});

describe('faults on the cluster (lost and duplicated: want 0 and 0)', () => {
  it('the history service SIGKILLed mid-import', async () => {
    await importWith(51, async () => {
      const [history] = sys.pidsOf('--service history');
      process.kill(history!, 'SIGKILL');
      // The launcher starts it again.
      await eventually(async () => (sys.pidsOf('--service history').find((p) => p !== history) ? true : undefined), 120_000, 500);
      return `history SIGKILLed (pid ${history})`;
    });
  });

  it('one of the two project workers SIGKILLed: the other carries on', async () => {
    await importWith(52, async () => {
      const [victim, other] = sys.pidsOf('worker/main.ts');
      process.kill(victim!, 'SIGKILL');
      expect(alive(other!)).toBe(true);
      return `worker ${victim} SIGKILLed, worker ${other} carried on`;
    });
  });

  it('PostgreSQL stopped for 20 s', async () => {
    await importWith(53, async () => {
      await sys.pg.stop();
      await new Promise((r) => setTimeout(r, 20_000));
      await sys.pg.start();
      return 'PostgreSQL stopped for 20 s';
    });
    await eventually(async () => ((await sys.http('GET', '/api/health')).body.status === 'ok' ? true : undefined), 120_000, 1000);
  });
});

describe('a second start', () => {
  it('keeps the data: the patches, their workflows and the namespace', async () => {
    const admin = await sys.login('admin');
    const before = (await sys.http('GET', `/api/patches/${slicePatch}`, { token: admin })).body;
    await sys.restart();
    expect(sys.output()).toMatch(/temporal-history\s+pid \d+/);
    const after = await sys.http('GET', `/api/patches/${slicePatch}`, { token: admin });
    expect(after.status).toBe(200);
    expect(after.body.stage).toBe(before.stage);
    const described = await sys.temporal.workflow.getHandle(slicePatch).describe();
    expect(described.workflowId).toBe(slicePatch);
  });
});
