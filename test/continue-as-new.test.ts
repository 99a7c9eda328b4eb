/**
 * Send-back loops must not grow a history without bound: on a dev server that suggests continue-as-new
 * early, the patch workflow continues as new, carrying its state, and keeps answering completions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { snapshotQuery } from '../workflows/messages';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { freePort } from './support/ports';
import { startTestSystem, type TestSystem } from './support/system';

let server: DevServer;
let sys: TestSystem;
beforeAll(async () => {
  server = await startDevServer({ port: await freePort(), extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=60'] });
  sys = await startTestSystem({ temporalAddress: server.address });
});
afterAll(async () => {
  await sys?.stop();
  await server?.stop();
});

describe('continue-as-new in a long send-back loop', () => {
  it('carries the state across runs and keeps each run\'s history short', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8 });
    const handle = sys.temporal.workflow.getHandle(code);
    const firstRun = (await handle.describe()).runId;
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 2 }));
    const rounds = 8;
    for (let round = 1; round <= rounds; round++) {
      const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
      await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: `第${round}次退回` });
      const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
      await completeAs(sys, 'xq.officer', correction.id, { decision: 'submit', ...determination('legal', { totalMu: 8, farmlandMu: 2 }) });
    }
    const description = await handle.describe();
    expect(description.runId).not.toBe(firstRun);
    expect(description.historyLength).toBeLessThan(120);
    const snap = await handle.query(snapshotQuery);
    expect(snap).toMatchObject({ stage: 'review', sendBacks: rounds, legality: 'legal' });
    // Task ids keep counting across runs: no id is reused.
    const ids = (await sys.sql`select id from tasks where patch_code = ${code}`).map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(1 + 2 * rounds + 1);
    // The process still finishes.
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
    const final = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(final).toMatchObject({ stage: 'closed', sendBacks: rounds });
  });
});
