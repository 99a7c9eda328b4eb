/**
 * 面积经核查修正 through the API and the workflow (docs/domain.md §13): a patch measured on the land layers is
 * filed with areas that differ from the measured ones: without a reason the API answers 422 naming
 * `determination.areasOverrideReason` and nothing changes, and an Update sent past the API is refused by the
 * workflow's validator (which holds the areas against the measuring activity's result in its history, not against
 * anything the request carries); with a reason it is accepted, and the reason, the suggested and the filed areas are
 * kept in the audit row of the completion and in the patch's determination.
 */
import type { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTaskUpdate } from '../workflows/messages';
import { actorOf, determination, issueMeasured, patchRow, uploadGeoJsonLayer } from './support/fixtures';
import { cell } from './support/shapes';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
  // 兴庆区's farmland: the west half of patchBody's polygon (106.28–106.281 × 38.47–38.471).
  await uploadGeoJsonLayer(sys, { regionCode: '640104', kind: 'farmland', name: '2025年度变更调查耕地' }, [
    { type: 'Feature', properties: {}, geometry: cell(106.2795, 38.47, 0.001, 0.002) },
  ]);
}, 180_000);
afterAll(async () => {
  await sys?.stop();
});

/** A patch issued and measured, with its open verification task and the areas suggested. */
async function measuredPatch() {
  const { code, task, measurement } = await issueMeasured(sys);
  // The workflow has the measuring activity's result (its validator's suggestion) once a workflow task follows it.
  const handle = sys.temporal.workflow.getHandle(code);
  await eventually(async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'measurePatch');
    const done = scheduled && events.findIndex((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? '') === String(scheduled.eventId));
    return done !== undefined && done >= 0 && events.slice(done).some((e) => e.workflowTaskCompletedEventAttributes) ? true : undefined;
  }, 60_000);
  return { code, task, suggested: measurement.suggestedAreas as { totalMu: number; farmlandMu: number; basicFarmlandMu: number; redLineMu: number } };
}

describe('areas overridden with a reason', () => {
  it('refuses differing areas without a reason (API and workflow), accepts them with one and keeps both figures', async () => {
    const { code, task, suggested } = await measuredPatch();
    expect(suggested.farmlandMu).toBeGreaterThan(5);
    const officer = await sys.login('xq.officer');
    const changed = { ...suggested, farmlandMu: 2 };
    const audits = async () => (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code}`)[0].n;
    const before = await audits();

    const refused = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: determination('other', changed) });
    expect(refused.status).toBe(422);
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toEqual(['determination.areasOverrideReason']);
    expect(refused.body.issues[0].message).toContain('耕地');
    const blank = determination('other', changed, { areasOverrideReason: '   ' });
    expect((await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: blank })).status).toBe(422);

    // Past the API, with a forged suggestion that matches: the workflow's validator holds its own.
    const forged = determination('other', changed, { suggestedAreas: changed }).determination;
    const past = await sys.temporal.workflow
      .getHandle(code)
      .executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, actor: await actorOf(sys, 'xq.officer'), payload: { kind: 'verification', determination: forged } as never }],
      })
      .then(
        () => undefined,
        (err: WorkflowUpdateFailedError) => err.cause as ApplicationFailure,
      );
    expect(past?.type).toBe('RuleViolation');
    expect(JSON.stringify(past?.details)).toContain('determination.areasOverrideReason');
    expect(await audits()).toBe(before);
    expect((await patchRow(sys, code)).determination).toBeNull();

    // With a reason; a suggestion the client sends is not taken: the API puts the measured one.
    const reason = '实地核查：耕地已于2025年调整为建设用地，以实地为准';
    const body = determination('other', changed, {
      areasOverrideReason: reason,
      suggestedAreas: { totalMu: 1, farmlandMu: 1, basicFarmlandMu: 0, redLineMu: 0 },
    });
    const ok = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body });
    expect(ok.status).toBe(200);
    const [row] = await sys.sql`select after from audit_log where patch_code = ${code} and action = 'verification.completed'`;
    expect(row.after.result.determination).toMatchObject({ areas: changed, suggestedAreas: suggested, areasOverrideReason: reason });
    expect((await patchRow(sys, code)).determination).toMatchObject({ areas: changed, suggestedAreas: suggested, areasOverrideReason: reason });

    // The same again: the task is closed, nothing changes.
    const count = await audits();
    const again = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body });
    expect(again.status).toBe(409);
    expect(await audits()).toBe(count);
  });

  it('accepts the measured areas as they are without a reason', async () => {
    const { code, task, suggested } = await measuredPatch();
    const ok = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('xq.officer'), body: determination('other', suggested) });
    expect(ok.status).toBe(200);
    const d = (await patchRow(sys, code)).determination;
    expect(d).toMatchObject({ areas: suggested, suggestedAreas: suggested });
    expect(d.areasOverrideReason).toBeUndefined();
  });

  it('counts measured vs declared per region, with the overridden determinations', async () => {
    const res = await sys.http('GET', '/api/statistics/measured?regionCode=640100', { token: await sys.login('yc.reviewer') });
    expect(res.status).toBe(200);
    const [xq] = res.body.children;
    expect(res.body.children).toHaveLength(1);
    // The two patches above: one filed with farmland changed to 2 mu (with a reason), one as measured.
    const m = xq.measured.farmlandMu / 2;
    expect(xq).toMatchObject({ regionCode: '640104', patches: 2, overridden: 1 });
    expect(m).toBeGreaterThan(5);
    expect(xq.declared.farmlandMu).toBeCloseTo(m + 2, 1);
    expect(res.body.total).toMatchObject({ patches: 2, overridden: 1 });
    expect((await sys.http('GET', '/api/statistics/measured?regionCode=640100', { token: await sys.login('na.officer') })).status).toBe(403);
  });
});
