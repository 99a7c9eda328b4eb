/**
 * 合并 (docs/domain.md §13), the split in reverse: where the region allows it, a county proposes to merge adjacent
 * open patches of the county and of one situation; every refusal is a 422 naming the field and changes nothing; the
 * city's reviewer approves; the merged patch (`<first>_H1`) is its own patchWorkflow with the union's polygon and
 * area and the sources' earliest deadline; the sources close as 被合并 (a repeated close is refused); statistics
 * count the sources as issued and the merged patch's determination, never both.
 */
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMergedUpdate, snapshotQuery } from '../workflows/messages';
import * as fixtures from './support/fixtures';
import { box, completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { recordHistory } from './support/histories';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const allowMerge = (allowed: boolean) => fixtures.allowMerge(sys, allowed);

/** Two touching patches (A west of B, from longitude `w`) and one far off, issued in Xingqing. */
async function neighbours(over: Record<string, unknown> = {}, w = 106.3) {
  const a = await issueAndWaitForTask(sys, { geometry: box(w, w + 0.001), issuedAt: '2026-05-12T02:00:00Z', ...over });
  const b = await issueAndWaitForTask(sys, { geometry: box(w + 0.001, w + 0.002), issuedAt: '2026-05-05T02:00:00Z', ...over });
  const far = await issueAndWaitForTask(sys, { geometry: box(w + 0.01, w + 0.011), issuedAt: '2026-05-05T02:00:00Z', ...over });
  return { a, b, far };
}

const merges = async (code: string) => (await sys.sql`select count(*)::int as n from patch_merges where lead_code = ${code}`)[0].n;

describe('merging adjacent patches (合并)', () => {
  it('refuses with a 422 naming the field, and changes nothing: policy off, not adjacent, other county, determined, military, in another merge', async () => {
    const { a, b, far } = await neighbours();
    const officer = await sys.login('xq.officer');
    const post = (code: string, body: Record<string, unknown>, token = officer) =>
      sys.http('POST', `/api/patches/${code}/merge`, { token, body: { legality: 'illegal', reason: '同一地块未批先建', ...body } });

    await allowMerge(false);
    const off = await post(a.code, { with: [b.code] });
    expect(off.status).toBe(422);
    expect(off.body.issues[0]).toMatchObject({ code: 'merge_not_allowed', path: 'with' });
    await allowMerge(true);

    const apart = await post(a.code, { with: [far.code] });
    expect(apart.status).toBe(422);
    expect(apart.body.issues[0]).toMatchObject({ code: 'merge_not_adjacent', path: 'with.0' });

    const other = await issueAndWaitForTask(sys, { countyCode: '640105', geometry: box(106.302, 106.303) });
    const county = await post(a.code, { with: [b.code, other.code] });
    expect(county.status).toBe(422);
    expect(county.body.issues[0]).toMatchObject({ code: 'merge_other_county', path: 'with.1' });

    const done = await issueAndWaitForTask(sys, { geometry: box(106.299, 106.3) });
    const v = await openTaskOf(sys, done.code, 'verification', 'xq.officer');
    await completeAs(sys, 'xq.officer', v.id, determination('legal', { totalMu: 7 }));
    await eventually(async () => ((await sys.sql`select legality from patches where code = ${done.code}`)[0].legality ? true : undefined));
    const determined = await post(a.code, { with: [done.code] });
    expect(determined.status).toBe(422);
    expect(determined.body.issues[0]).toMatchObject({ code: 'merge_determined', path: 'with.0' });

    const military = await issueAndWaitForTask(sys, { military: true, geometry: box(106.3, 106.301, 38.471, 38.472) }, { asUser: 'xq.secret' });
    const mixed = await post(a.code, { with: [military.code] }, await sys.login('xq.secret'));
    expect(mixed.status).toBe(422);
    expect(mixed.body.issues[0]).toMatchObject({ code: 'merge_military', path: 'with.0' });
    // Unknown to whoever may not see it.
    const hidden = await post(a.code, { with: [military.code] });
    expect(hidden.body.issues[0]).toMatchObject({ code: 'merge_unknown_patch', path: 'with.0' });

    // Another county's officer may not merge the county's patches.
    expect((await post(a.code, { with: [b.code] }, await sys.login('pj.officer'))).status).toBe(403);

    expect(await merges(a.code)).toBe(0);
    const rows = await sys.sql`select stage, merged_into from patches where code in (${a.code}, ${b.code})`;
    expect(rows.every((r) => r.stage === 'verification' && r.merged_into === null)).toBe(true);

    // In another merge: B is a source of a pending merge led by A, so C (far off B's other side) cannot take it.
    const first = await post(a.code, { with: [b.code] });
    expect(first.status).toBe(201);
    const c = await issueAndWaitForTask(sys, { geometry: box(106.302, 106.303) });
    const taken = await post(c.code, { with: [b.code] });
    expect(taken.status).toBe(422);
    expect(taken.body.issues[0]).toMatchObject({ code: 'merge_pending', path: 'with.0' });
    expect(await merges(c.code)).toBe(0);
  });

  it('takes a repeated or concurrent proposal once', async () => {
    await allowMerge(true);
    const { a, b } = await neighbours({}, 106.5);
    const officer = await sys.login('xq.officer');
    const body = { with: [b.code], legality: 'illegal', reason: '同一地块未批先建' };
    const answers = await Promise.all([1, 2, 3].map(() => sys.http('POST', `/api/patches/${a.code}/merge`, { token: officer, body })));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status !== 201).every((r) => r.status === 422 || r.status === 409)).toBe(true);
    expect((await sys.sql`select count(*)::int as n from patch_merges where lead_code = ${a.code} and status = 'proposed'`)[0].n).toBe(1);
    const reviews = await sys.sql`select count(*)::int as n from tasks where patch_code = ${a.code} and type = 'merge_review'`;
    expect(reviews[0].n).toBe(1);
  });

  it('merges on approval: one process for the union with the earliest deadline, the sources 被合并, counted once; then determined and closed', async () => {
    await allowMerge(true);
    const { a, b } = await neighbours({ issuedAt: '2026-06-20T02:00:00Z' }, 106.4);
    await sys.sql`update patches set issued_at = '2026-06-03T02:00:00Z' where code = ${b.code}`;
    const officer = await sys.login('xq.officer');
    const candidates = await sys.http('GET', `/api/patches/${a.code}/merge-candidates`, { token: officer });
    expect(candidates.status).toBe(200);
    // Adjacent ones first: B touches A, the one far off does not.
    expect(candidates.body.data[0]).toMatchObject({ code: b.code, adjacent: true });
    expect(candidates.body.data.find((c: { adjacent: boolean }) => !c.adjacent)).toBeTruthy();
    const res = await sys.http('POST', `/api/patches/${a.code}/merge`, {
      token: officer,
      body: { with: [b.code], legality: 'illegal', reason: '同一地块未批先建' },
    });
    expect(res.status).toBe(201);
    const merged = `${a.code}_H1`;
    expect(res.body.mergedCode).toBe(merged);
    // A photo taken on a source before the merge.
    const photo = await fixtures.uploadSitePhoto(sys, 'xq.officer', b.code);

    const review = await openTaskOf(sys, a.code, 'merge_review', 'yc.reviewer');
    expect(review).toMatchObject({ regionCode: '640100', role: 'reviewer' });
    const detail = await sys.http('GET', `/api/patches/${a.code}`, { token: officer });
    expect(detail.body.pendingMerge.sources.map((s: { code: string }) => s.code).sort()).toEqual([a.code, b.code].sort());
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'approve' });

    const sources = await eventually(async () => {
      const rows = await sys.sql`select code, stage, merged_into from patches where code in (${a.code}, ${b.code})`;
      return rows.every((r) => r.stage === 'merged') ? rows : undefined;
    });
    expect(sources.every((r) => r.merged_into === merged)).toBe(true);
    // Evidence is collected once: the merged patch's forms are offered the sources' photos (重复举证 avoided).
    const offered = await sys.http('GET', `/api/evidence?filter=${encodeURIComponent(JSON.stringify({ patchCode: merged, lineage: true }))}`, {
      token: officer,
    });
    expect(offered.status).toBe(200);
    expect(offered.body.map((e: { sha256: string; patchCode: string }) => [e.sha256, e.patchCode])).toContainEqual([photo.sha256, b.code]);
    const [row] = await sys.sql`select merged_from, area_mu, issued_at from patches where code = ${merged}`;
    expect(row.merged_from).toEqual([a.code, b.code]);
    // Ellipsoidal area of the union: two boxes of ~14.47 mu each.
    expect(Math.abs(Number(row.area_mu) - 28.94)).toBeLessThan(0.5);
    expect(new Date(row.issued_at).toISOString()).toBe('2026-06-03T02:00:00.000Z');
    for (const code of [a.code, b.code]) expect((await sys.temporal.workflow.getHandle(code).result()).stage).toBe('merged');
    // A repeated close is refused by the Update's validator (duplicate), and nothing changes.
    await expect(
      sys.temporal.workflow.getHandle(b.code).executeUpdate(closeMergedUpdate, { args: [{ mergeId: res.body.mergeId, mergedCode: merged, leadCode: a.code }] }),
    ).rejects.toThrow();

    // The merged patch's deadline is the earliest source's (B's), not A's.
    const mergedTask = await openTaskOf(sys, merged, 'verification', 'xq.officer');
    const bDue = await sys.sql`select due_at from tasks where patch_code = ${b.code} and type = 'verification'`;
    expect(new Date(mergedTask.dueAt).getTime()).toBe(new Date(bDue[0].due_at).getTime());

    await completeAs(sys, 'xq.officer', mergedTask.id, determination('legal', { totalMu: 28 }));
    for (;;) {
      const snap = await sys.temporal.workflow.getHandle(merged).query(snapshotQuery);
      if (snap.stage === 'closed') break;
      const r = snap.openTasks.find((t) => t.type === 'review');
      if (r) await completeAs(sys, r.regionCode === '640100' ? 'yc.reviewer' : 'nx.reviewer', r.taskId, { decision: 'pass' });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Counting never counts twice: issued = the two sources (and the patch far off, still open), not the merged
    // patch; determinations and areas = the merged patch, not the sources.
    const stats = await sys.http('GET', '/api/statistics?regionCode=640104&from=2026-06-01&to=2026-07-01', { token: await sys.login('admin') });
    expect(stats.status).toBe(200);
    expect(stats.body.mergeCounting).toEqual({ issued: 'unmerged_and_sources', determinations: 'unmerged_and_merged' });
    expect(stats.body.figures).toMatchObject({ issued: 3, verificationOpen: 1, legal: { count: 1, areaMu: 28 } });
    await recordHistory(sys, a.code, 'patch-merge-lead');
    await recordHistory(sys, merged, 'patch-merged');
    // The export for upload says, row by row, which count a patch enters and where it came from or went.
    const exported = await fetch(`${sys.baseUrl}/api/exports/patches?format=gpkg&regionCode=640104&from=2026-06-01&to=2026-07-01`, {
      headers: { authorization: `Bearer ${await sys.login('admin')}` },
    });
    expect(exported.status).toBe(200);
    const file = path.join(os.tmpdir(), `wpzf-merge-${process.pid}.gpkg`);
    await writeFile(file, Buffer.from(await exported.arrayBuffer()));
    const gpkg = new Database(file, { readonly: true });
    try {
      const rows = gpkg.prepare('select JCBH, JSKJ, LYTB, QXTB from wptb').all() as Array<Record<string, string | null>>;
      const row = (code: string) => rows.find((r) => r.JCBH === code);
      expect(row(a.code)).toMatchObject({ JSKJ: '计下发数，不计成果数（已合并）', QXTB: merged });
      expect(row(b.code)).toMatchObject({ JSKJ: '计下发数，不计成果数（已合并）', QXTB: merged });
      expect(row(merged)).toMatchObject({ JSKJ: '计成果数，不计下发数（合并图斑）', QXTB: null });
      expect(String(row(merged)?.LYTB).split('；').sort()).toEqual([a.code, b.code].sort());
    } finally {
      gpkg.close();
      await rm(file, { force: true });
    }
  });

  it('lets the reviewer refuse a merge: each patch is verified on its own', async () => {
    await allowMerge(true);
    const { a, b } = await neighbours({}, 106.6);
    const officer = await sys.login('xq.officer');
    const res = await sys.http('POST', `/api/patches/${a.code}/merge`, { token: officer, body: { with: [b.code], legality: 'legal', reason: '同一审批范围' } });
    expect(res.status).toBe(201);
    const review = await openTaskOf(sys, a.code, 'merge_review', 'yc.reviewer');
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'reject', reason: '两图斑用地情形不同' });
    const [m] = await sys.sql`select status from patch_merges where lead_code = ${a.code}`;
    expect(m.status).toBe('rejected');
    expect((await sys.sql`select count(*)::int as n from patches where code = ${`${a.code}_H1`}`)[0].n).toBe(0);
    await openTaskOf(sys, a.code, 'verification', 'xq.officer');
  });
});
