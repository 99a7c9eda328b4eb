/** Request bodies for tests: patches to issue and determinations to file. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE_POLICY } from '../../domain/policy';
import { gpsPhotoCount, requiredGpsPhotos } from '../../domain/legality';
import { writeChipPair } from '../../scripts/synthetic/imagery';
import { writeTileArchivePair } from '../../scripts/synthetic/tile-archives';
import { jpeg } from './evidence-files';
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
      coordinates: [
        [
          [106.28, 38.47],
          [106.281, 38.47],
          [106.281, 38.471],
          [106.28, 38.471],
          [106.28, 38.47],
        ],
      ],
    },
    ...over,
  };
}

/** A rectangle as a GeoJSON polygon (WGS 84), by its west, east, south and north edges. */
export const box = (w: number, e: number, s = 38.47, n = 38.471) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});
/** patchBody's polygon (106.28–106.281 × 38.47–38.471) cut in two at 106.2806: a split's children (拆分). */
export const HALVES = [box(106.28, 106.2806), box(106.2806, 106.281)];

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
    if (Date.now() - started > 60_000) throw new Error(`no open task for ${body.code}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the open task of a type on a patch, as seen by a user. */
export async function openTaskOf(sys: TestSystem, code: string, type: string, asUser = 'admin', timeoutMs = 60_000) {
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

/** A point inside patchBody's default polygon (银川市兴庆区). */
export const SITE = { lat: 38.4705, lng: 106.2805 };

/** Uploads a site photo with GPS (EXIF) for a patch as a user; returns its evidence entry. */
export async function uploadSitePhoto(sys: TestSystem, user: string, patchCode: string, gps = SITE) {
  const bytes = jpeg({ ...gps, dateTimeOriginal: '2026:06:01 10:00:00', offset: '+08:00', description: patchCode });
  const form = new FormData();
  form.append('patchCode', patchCode);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), '现场照片.jpg');
  const res = await fetch(`${sys.baseUrl}/api/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await sys.login(user)}` }, body: form });
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload for ${patchCode} as ${user}: ${res.status} ${await res.text()}`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), kind: 'photo' as const, gps };
}

/**
 * A county's determination that the default evidence rule asks a photo of (违法; 合法 without an approval
 * document: policy verification.evidence) gets a site photo uploaded and attached, so that tests about
 * other things file a complete determination. Tests of the rule itself post without this.
 */
export async function withSitePhoto(sys: TestSystem, user: string, taskId: string, body: unknown): Promise<unknown> {
  const b = body as {
    determination?: { legality?: 'legal' | 'illegal' | 'other'; approvals?: unknown[]; evidence?: Array<{ kind?: string; gps?: unknown }> };
  } | null;
  const d = b?.determination;
  if (!d || requiredGpsPhotos(d, BASE_POLICY.verification.evidence) <= gpsPhotoCount(d.evidence)) return body;
  const task = await sys.http('GET', `/api/tasks/${encodeURIComponent(taskId)}`, { token: await sys.login(user) });
  if (task.status !== 200 || (task.body.type !== 'verification' && task.body.type !== 'correction')) return body;
  const photo = await uploadSitePhoto(sys, user, task.body.patchCode);
  return { ...b, determination: { ...d, evidence: [...(d.evidence ?? []), photo] } };
}

/** Completes a task as a user and expects 200; returns the snapshot. A county's determination gets the site photo the rule asks for. */
export async function completeAs(sys: TestSystem, user: string, taskId: string, body: unknown) {
  body = await withSitePhoto(sys, user, taskId, body);
  const res = await sys.http('POST', `/api/tasks/${taskId}/complete`, { token: await sys.login(user), body });
  if (res.status !== 200) throw new Error(`complete ${taskId} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function determination(
  legality: 'legal' | 'illegal' | 'other',
  areas: Partial<{ totalMu: number; farmlandMu: number; basicFarmlandMu: number; redLineMu: number }> = {},
  extra: Record<string, unknown> = {},
) {
  const subType = { legal: 'approved_construction', illegal: 'occupied_without_approval', other: 'unchanged' }[legality];
  const full = { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0, ...areas };
  return {
    determination: {
      legality,
      subType,
      approvals: legality === 'legal' ? [{ type: 'land_approval', documentNumber: '批〔2026〕1号', date: '2026-01-10' }] : [],
      areas: full,
      ...(legality === 'illegal' && full.farmlandMu > 0
        ? {
            farmlandFlags: {
              rural_housing: false,
              greenhouse_house: false,
              landscape_lake: false,
              fund_project: false,
              affordable_housing: false,
              epidemic_medical: false,
            },
          }
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

/**
 * An illegal patch in Nan'an (the national chain: one province review) handed to its case; returns the
 * patch code, the case number and the open registration task.
 */
export async function illegalPatchWithCase(
  sys: TestSystem,
  opts: {
    countyCode?: string;
    totalMu?: number;
    farmlandMu?: number;
    category?: string;
    officer?: string;
    reviewer?: string /** The review chain's reviewers, in order (default: `reviewer`). */;
    reviewers?: string[];
    issuedAt?: string;
    /** Where land layers measure the patch (the cluster's demo layers): why the filed areas differ from the measured. */
    areasOverrideReason?: string;
  } = {},
) {
  const countyCode = opts.countyCode ?? '350583';
  const officer = opts.officer ?? 'na.officer';
  const reviewers = opts.reviewers ?? [opts.reviewer ?? 'fj.reviewer'];
  const totalMu = opts.totalMu ?? 8;
  const farmlandMu = opts.farmlandMu ?? 6;
  const { code, task } = await issueAndWaitForTask(sys, {
    countyCode,
    areaMu: totalMu,
    category: opts.category ?? 'new_non_agricultural_construction',
    ...(opts.issuedAt ? { issuedAt: opts.issuedAt } : {}),
  });
  const reason = opts.areasOverrideReason ? { areasOverrideReason: opts.areasOverrideReason } : {};
  await completeAs(sys, officer, task.id, determination('illegal', { totalMu, farmlandMu }, reason));
  let final: any;
  for (const reviewer of reviewers) final = await completeAs(sys, reviewer, (await openTaskOf(sys, code, 'review', reviewer)).id, { decision: 'pass' });
  if (final.stage !== 'case') throw new Error(`expected the patch to go to a case, got ${final.stage}`);
  const register = await caseTaskOf(sys, final.caseNo, 'case_register', officer);
  return { code, caseNo: final.caseNo as string, register };
}

/** Waits for the open task of a type on a case, as seen by a user. */
export async function caseTaskOf(sys: TestSystem, caseNo: string, type: string, asUser: string, timeoutMs = 60_000) {
  const token = await sys.login(asUser);
  const started = Date.now();
  for (;;) {
    const res = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ caseNo, status: 'open', type }))}`, { token });
    if (res.status !== 200) throw new Error(`list tasks as ${asUser}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.length) return res.body[0];
    if (Date.now() - started > timeoutMs) throw new Error(`no open ${type} task on case ${caseNo} for ${asUser}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const registration = (linkPatchCodes: string[] = []) => ({
  party: { name: '南安市某石材有限公司', kind: 'organisation', idNumber: '91350583MA00000000' },
  site: '南安市水头镇某村',
  facts: '未经批准占用耕地建设厂房',
  legalBasis: '《土地管理法》第七十七条',
  linkPatchCodes,
});

export const decision = (over: Record<string, unknown> = {}) => ({
  documentNumber: '南自然资罚〔2026〕8号',
  decidedOn: '2026-11-20',
  fine: { amountYuan: 120000, collected: true, collectedYuan: 120000 },
  confiscation: false,
  demolition: true,
  recultivation: true,
  disciplineReferral: false,
  criminalReferral: false,
  departments: [],
  path: 'demolish_recultivate',
  ...over,
});

/** The balances of a quota account of a county (or, for Jiangmen's construction-plan quota, a city); zeros when it has none. */
export async function balances(sys: TestSystem, countyCode: string, account = 'farmland') {
  const [row] =
    await sys.sql`select frozen_mu::float8 as frozen, unfrozen_mu::float8 as unfrozen, deducted_mu::float8 as deducted from quota_balances where region_code = ${countyCode} and account = ${account}`;
  return row ? { frozen: row.frozen, unfrozen: row.unfrozen, deducted: row.deducted } : { frozen: 0, unfrozen: 0, deducted: 0 };
}

/**
 * Balance rows that differ from the sums of their ledger entries (empty when the ledger and the
 * balances agree): frozen = freezes − unfreezes − deductions, unfrozen and deducted their own sums.
 */
export async function ledgerBalanceMismatches(sql: TestSystem['sql'], regionCodes?: string[]) {
  const rows = await sql`
    with sums as (
      select region_code, account,
        coalesce(sum(area_mu) filter (where kind = 'freeze'), 0) - coalesce(sum(area_mu) filter (where kind <> 'freeze'), 0) as frozen,
        coalesce(sum(area_mu) filter (where kind = 'unfreeze'), 0) as unfrozen,
        coalesce(sum(area_mu) filter (where kind = 'deduct'), 0) as deducted
      from quota_ledger group by region_code, account)
    select coalesce(b.region_code, s.region_code) as region_code, coalesce(b.account, s.account) as account,
      b.frozen_mu::float8 as balance_frozen, s.frozen::float8 as ledger_frozen,
      b.unfrozen_mu::float8 as balance_unfrozen, s.unfrozen::float8 as ledger_unfrozen,
      b.deducted_mu::float8 as balance_deducted, s.deducted::float8 as ledger_deducted
    from quota_balances b full join sums s on s.region_code = b.region_code and s.account = b.account
    where b.frozen_mu is distinct from s.frozen or b.unfrozen_mu is distinct from s.unfrozen or b.deducted_mu is distinct from s.deducted`;
  // A balance row booked to zero everywhere with no entries is not a mismatch.
  return rows
    .filter((r) => !regionCodes || regionCodes.includes(r.region_code))
    .filter((r) => !(r.ledger_frozen === null && !r.balance_frozen && !r.balance_unfrozen && !r.balance_deducted))
    .map((r) => ({ ...r }));
}

/** An illegal patch in Liaocheng's 东昌府区 (city then province review) handed to its case. */
export const liaochengCase = (sys: TestSystem, opts: { totalMu?: number; farmlandMu?: number; issuedAt?: string } = {}) =>
  illegalPatchWithCase(sys, { countyCode: '371502', officer: 'dcf.officer', reviewers: ['lc.reviewer', 'sd.reviewer'], ...opts });

/** A demo user as the workflows see an actor (for Updates sent straight to Temporal, past the API). */
export async function actorOf(sys: TestSystem, username: string) {
  const [u] = await sys.sql`select id, username, display_name, role, region_code, classified from users where username = ${username}`;
  return {
    userId: u.id as number,
    username: u.username as string,
    displayName: u.display_name as string,
    role: u.role,
    regionCode: u.region_code as string,
    classified: Boolean(u.classified),
  };
}

/** Uploads a GeoTIFF as before/after imagery of a batch (for one patch when `patchCode` is given); returns the answer. */
export async function uploadImagery(
  sys: TestSystem,
  batchCode: string,
  file: string,
  fields: { phase: 'before' | 'after'; patchCode?: string; imagedAt?: string },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(readFileSync(file))], { type: 'image/tiff' }), path.basename(file));
  const res = await fetch(`${sys.baseUrl}/api/batches/${encodeURIComponent(batchCode)}/imagery`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await sys.login('admin')}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** Issues a patch with its before imagery as a PMTiles chip and its after imagery as an MBTiles chip, uploaded. */
export async function patchWithTileArchives(sys: TestSystem, over: Record<string, unknown> = {}) {
  const batchCode = (over.batchCode as string | undefined) ?? sys.unique('B');
  const issued = await issueAndWaitForTask(sys, { batchCode, imagedAt: '2026-05-20T00:00:00+08:00', ...over });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-tiles-'));
  const pm = await writeTileArchivePair(dir, issued.code, issued.body.geometry as never, 'pmtiles');
  const mb = await writeTileArchivePair(dir, issued.code, issued.body.geometry as never, 'mbtiles');
  const before = await uploadImagery(sys, batchCode, pm.before, { phase: 'before', patchCode: issued.code, imagedAt: '2026-02-18' });
  const after = await uploadImagery(sys, batchCode, mb.after, { phase: 'after', patchCode: issued.code });
  if (before.status !== 201 || after.status !== 201)
    throw new Error(`tile archive upload: ${before.status} ${after.status} ${JSON.stringify([before.body, after.body])}`);
  return { ...issued, batchCode, pmtiles: pm, mbtiles: mb, before: before.body, after: after.body };
}

/** Issues a patch in a batch with synthetic before/after chips (a visible change inside it) uploaded for it. */
export async function patchWithImagery(sys: TestSystem, over: Record<string, unknown> = {}) {
  const batchCode = (over.batchCode as string | undefined) ?? sys.unique('B');
  const issued = await issueAndWaitForTask(sys, { batchCode, imagedAt: '2026-05-20T00:00:00+08:00', ...over });
  const pair = await writeChipPair(mkdtempSync(path.join(os.tmpdir(), 'wpzf-chips-')), issued.code, issued.body.geometry as never);
  const before = await uploadImagery(sys, batchCode, pair.before, { phase: 'before', patchCode: issued.code, imagedAt: '2026-02-18' });
  const after = await uploadImagery(sys, batchCode, pair.after, { phase: 'after', patchCode: issued.code });
  if (before.status !== 201 || after.status !== 201)
    throw new Error(`imagery upload: ${before.status} ${after.status} ${JSON.stringify([before.body, after.body])}`);
  return { ...issued, batchCode, pair, before: before.body, after: after.body };
}

/** Uploads a reference layer (docs/domain.md §13) of GeoJSON features as the national administrator; expects 201. */
export async function uploadGeoJsonLayer(sys: TestSystem, fields: { regionCode: string; kind: string; name?: string }, features: unknown[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, v);
  form.append('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), `${fields.kind}.geojson`);
  const res = await fetch(`${sys.baseUrl}/api/layers`, { method: 'POST', headers: { authorization: `Bearer ${await sys.login('admin')}` }, body: form });
  if (res.status !== 201) throw new Error(`layer upload: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Issues a patch and waits until its workflow has measured it on the layers; answers the code, the task and the measurement. */
export async function issueMeasured(sys: TestSystem, over: Record<string, unknown> = {}) {
  const { code, task } = await issueAndWaitForTask(sys, over);
  const admin = await sys.login('admin');
  for (const started = Date.now(); ; ) {
    const res = await sys.http('GET', `/api/patches/${code}`, { token: admin });
    if (res.body?.measurement) return { code, task, measurement: res.body.measurement };
    if (Date.now() - started > 60_000) throw new Error(`${code} was not measured`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Turns the merge switch (合并, docs/domain.md §13) of a region (Xingqing by default) on or off, keeping its other overrides. */
export async function allowMerge(sys: TestSystem, allowed: boolean, regionCode = '640104') {
  const admin = await sys.login('admin');
  const current = await sys.http('GET', `/api/regions/${regionCode}/policy`, { token: admin });
  const own = (current.body.own ?? {}) as Record<string, unknown>;
  const res = await sys.http('PUT', `/api/regions/${regionCode}/policy`, {
    token: admin,
    body: { overrides: { ...own, merge: { allowed } }, note: '合并开关' },
  });
  if (res.status !== 200) throw new Error(`policy: ${res.status} ${JSON.stringify(res.body)}`);
}
