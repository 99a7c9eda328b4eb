/** Request bodies for tests: patches to issue and determinations to file. */
import type { TestSystem } from './system';

export function patchBody(sys: TestSystem, over: Record<string, unknown> = {}) {
  return {
    code: sys.unique('P'),
    countyCode: '640104',
    category: 'other_new_construction',
    source: 'ministry',
    batchKind: 'monthly',
    areaMu: 5,
    geometry: {
      type: 'Polygon',
      coordinates: [[[106.28, 38.47], [106.281, 38.47], [106.281, 38.471], [106.28, 38.471], [106.28, 38.47]]],
    },
    ...over,
  };
}

export const legalDetermination = {
  determination: {
    legality: 'legal',
    subType: 'approved_construction',
    approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }],
    areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
    evidence: [],
  },
};

export function illegalDetermination(farmlandMu = 3, flags: Record<string, boolean> = { rural_housing: false }) {
  return {
    determination: {
      legality: 'illegal',
      subType: 'occupied_without_approval',
      approvals: [],
      areas: { totalMu: Math.max(5, farmlandMu), farmlandMu, basicFarmlandMu: 0, redLineMu: 0 },
      farmlandFlags: flags,
      evidence: [],
    },
  };
}

/** Issues a patch as the national administrator and waits for its first task. */
export async function issueAndWaitForTask(sys: TestSystem, over: Record<string, unknown> = {}, opts: { asUser?: string; taskType?: string } = {}) {
  const admin = await sys.login('admin');
  const body = patchBody(sys, over);
  const issued = await sys.http('POST', '/api/patches', { token: admin, body });
  if (issued.status !== 201) throw new Error(`issue failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  const viewer = await sys.login(opts.asUser ?? 'admin');
  const started = Date.now();
  for (;;) {
    const res = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ patchCode: body.code, status: 'open' }))}`, { token: viewer });
    const task = res.body?.find?.((t: { type: string }) => !opts.taskType || t.type === opts.taskType);
    if (task) return { code: body.code as string, task, body };
    if (Date.now() - started > 20_000) throw new Error(`no open task for ${body.code}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
