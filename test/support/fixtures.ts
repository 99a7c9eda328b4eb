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

/** Waits for the open task of a type on a patch, as seen by a user. */
export async function openTaskOf(sys: TestSystem, code: string, type: string, asUser = 'admin', timeoutMs = 20_000) {
  const token = await sys.login(asUser);
  const started = Date.now();
  for (;;) {
    const res = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ patchCode: code, status: 'open', type }))}`, { token });
    if (res.status !== 200) throw new Error(`list tasks as ${asUser}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.length) return res.body[0];
    if (Date.now() - started > timeoutMs) throw new Error(`no open ${type} task on ${code} for ${asUser}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Completes a task as a user and expects 200; returns the snapshot. */
export async function completeAs(sys: TestSystem, user: string, taskId: string, body: unknown) {
  const res = await sys.http('POST', `/api/tasks/${taskId}/complete`, { token: await sys.login(user), body });
  if (res.status !== 200) throw new Error(`complete ${taskId} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function determination(legality: 'legal' | 'illegal' | 'other', areas: Partial<{ totalMu: number; farmlandMu: number; basicFarmlandMu: number; redLineMu: number }> = {}, extra: Record<string, unknown> = {}) {
  const subType = { legal: 'approved_construction', illegal: 'occupied_without_approval', other: 'unchanged' }[legality];
  const full = { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0, ...areas };
  return {
    determination: {
      legality,
      subType,
      approvals: legality === 'legal' ? [{ type: 'land_approval', documentNumber: '批〔2026〕1号', date: '2026-01-10' }] : [],
      areas: full,
      ...(legality === 'illegal' && full.farmlandMu > 0
        ? { farmlandFlags: { rural_housing: false, greenhouse_house: false, landscape_lake: false, fund_project: false, affordable_housing: false, epidemic_medical: false } }
        : {}),
      evidence: [],
      ...extra,
    },
  };
}

export async function patchRow(sys: TestSystem, code: string) {
  const [row] = await sys.sql`select * from patches where code = ${code}`;
  return row;
}
