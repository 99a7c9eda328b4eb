/**
 * A policy change that reaches a patch workflow while it is applying the previous one, just before it
 * continues as new, is carried into the next run (not lost): the new run applies it and re-arms its timer.
 * The dev server here suggests continue-as-new after a few events; the first change's recomputation is
 * held by a row lock until the second change's signal has arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePolicyVersion } from '../db/policy-store';
import { localDateOf } from '../domain/deadlines';
import type { PolicyOverrides } from '../domain/policy';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { policyChangedSignal, snapshotQuery } from '../workflows/messages';
import { issueAndWaitForTask } from './support/fixtures';
import { freePort } from './support/ports';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let server: DevServer;
let sys: TestSystem;
beforeAll(async () => {
  server = await startDevServer({ port: await freePort(), extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=10'] });
  sys = await startTestSystem({ temporalAddress: server.address });
});
afterAll(async () => {
  await sys?.stop();
  await server?.stop();
});

const nanan = (days: number): PolicyOverrides => ({ deadlines: { verification: { default: { kind: 'daysAfter', days, from: 'issuance' } } } });
const DAY = 24 * 3600_000;

describe('a policy signal during the last wait before continue-as-new', () => {
  it('is carried into the continued run and applied there', async () => {
    const issuedAt = new Date().toISOString();
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt });
    const handle = sys.temporal.workflow.getHandle(code);
    const firstRun = (await handle.describe()).runId;

    const v1 = await savePolicyVersion(sys.database.db, { regionCode: '350583', overrides: nanan(20), note: '第一次调整' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const locked = new Promise<void>((ready) => {
      void sys.sql.begin(async (tx) => {
        await tx`select 1 from tasks where id = ${task.id} for update`;
        ready();
        await held;
      });
    });
    await locked;
    try {
      await handle.signal(policyChangedSignal, { version: v1.id });
      // The recomputation under v1 waits for the row.
      await eventually(
        async () => (await sys.sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`).length > 0,
        30_000,
      );
      const v2 = await savePolicyVersion(sys.database.db, { regionCode: '350583', overrides: nanan(25), note: '第二次调整' });
      await handle.signal(policyChangedSignal, { version: v2.id });
      // Let the signal land while the activity is still held.
      await new Promise((r) => setTimeout(r, 1000));
      release();

      const snap = await eventually(async () => {
        const s = await handle.query(snapshotQuery);
        return s.policyVersion === v2.id ? s : undefined;
      }, 30_000).catch(async () => handle.query(snapshotQuery));
      expect((await handle.describe()).runId).not.toBe(firstRun);
      expect(snap.policyVersion).toBe(v2.id);
      expect(localDateOf(snap.openTasks[0].dueAt)).toEqual(localDateOf(Date.parse(issuedAt) + 25 * DAY));
      const [row] = await sys.sql`select due_at, policy_version from tasks where id = ${task.id}`;
      expect(row.policy_version).toBe(v2.id);
    } finally {
      release();
    }
  });
});
