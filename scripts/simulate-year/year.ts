/**
 * A province's year on the time-skipping server, day by day: the batches are issued, the simulated users
 * work their inboxes through the API, the server's clock skips to the next day (the workflows' timers fire
 * on the way). At the end the annual report is read through the API and compared with the figures
 * recomputed from the simulation's own log.
 */
import { SimApi } from './api';
import { changePolicy, issueBatch, superviseOverdue } from './admins';
import { batchesOf } from './calendar';
import { type Difference, differences, reportFigures } from './compare';
import { DAY, localMonthDay, localYear, startOfLocalDay } from './dates';
import { runInbox, type SimUser } from './inbox';
import { SimLog } from './log';
import { recompute } from './recompute';
import type { SimTarget } from './target';
import { World } from './world';

export interface YearOptions {
  region: string;
  patches: number;
  seed: number;
  /** Progress lines (once a simulated month). */
  progress?: (line: string) => void;
}

export interface YearResult {
  year: number;
  differences: Difference[];
  figures: Map<string, string>;
  wallMs: number;
  /** Wall time spent letting the server skip ahead (timers, workflow tasks and activities that ran meanwhile). */
  skipMs: number;
  actions: number;
  requests: number;
  requestMs: number;
  refused: Map<string, number>;
  failures: string[];
  policyFanOutMs: number;
  events: number;
}

/** The simulated users: the demo officers and reviewers of Ningxia (兴庆区, 银川市, the province). */
const USERS: SimUser[] = [
  { username: 'xq.officer', role: 'officer', regionCode: '640104' },
  { username: 'yc.reviewer', role: 'reviewer', regionCode: '640100' },
  { username: 'nx.reviewer', role: 'reviewer', regionCode: '640000' },
];

export async function simulateYear(target: SimTarget, opts: YearOptions): Promise<YearResult> {
  if (opts.region !== '640000') throw new Error("the simulated users are Ningxia's demo users: --region 640000");
  const t0 = performance.now();
  const api = new SimApi(target.baseUrl);
  const log = new SimLog();
  const world = new World();
  const refused = new Map<string, number>();
  const year = localYear((await target.now()) + 40 * DAY);
  const from = startOfLocalDay(year, 1, 1);
  const to = startOfLocalDay(year + 1, 1, 1);
  const batches = batchesOf(year, opts.patches, opts.seed);
  let skipMs = 0;
  const sleepUntil = async (instant: number) => {
    const s = performance.now();
    const now = await target.now();
    if (instant > now) await target.sleep(instant - now);
    skipMs += performance.now() - s;
  };
  await sleepUntil(from + 9 * 3_600_000); // 09:00 on 1 January
  let actions = 0;
  let policyFanOutMs = 0;
  for (let day = from + 9 * 3_600_000; day < to; day += DAY) {
    await sleepUntil(day);
    const now = await target.now();
    const { month, day: dom } = localMonthDay(now);
    for (const b of batches.filter((x) => x.month === month && x.day === dom)) await issueBatch(api, log, world, b, now);
    if (month === 7 && dom === 1) policyFanOutMs = (await changePolicy(api)).fanOutMs;
    if (dom === 1 && month > 1) await superviseOverdue(api);
    const base = { api, log, world, now, seed: opts.seed, refused };
    for (const user of USERS) actions += await runInbox(base, user);
    if (dom === 28)
      opts.progress?.(
        `${year}-${String(month).padStart(2, '0')}: ${world.patches.size} patches issued, ${actions} tasks done, ${api.requests} requests, ` +
          `${((performance.now() - t0) / 1000).toFixed(0)} s (skipping ${(skipMs / 1000).toFixed(0)} s)`,
      );
  }
  // 31 December, 23:00: what is still open, as each user sees it; then the annual report.
  await sleepUntil(to - 3_600_000);
  const end = await target.now();
  for (const user of USERS) {
    const open = await api.list(user.username, 'tasks', { status: 'open', role: user.role });
    for (const t of open.filter((x: any) => x.regionCode === user.regionCode && x.patchCode && !x.caseNo))
      log.add({ e: 'open_at_end', id: t.id, type: t.type, code: t.patchCode, dueAt: Date.parse(t.dueAt ?? '') });
  }
  const policy = (await api.call('nx.admin', 'GET', `/api/regions/${opts.region}/policy`)).body.effective.statistics;
  const csv = await api.text('nx.admin', `/api/reports/annual?regionCode=${opts.region}&year=${year}&format=csv&sheet=summary`);
  const report = reportFigures(csv);
  const mine = recompute({ log, from, to, end, ...policy, threshold: policy.accountabilityThreshold });
  return {
    year,
    differences: differences(report, mine),
    figures: report,
    wallMs: performance.now() - t0,
    skipMs,
    actions,
    requests: api.requests,
    requestMs: api.requestMs,
    refused,
    failures: api.failures,
    policyFanOutMs,
    events: log.events.length,
  };
}
