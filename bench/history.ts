/**
 * Events per patch on the happy path, through the HTTP API: issued, verified by the county (合法, with its
 * approval document), passed by the city review and by the province review, closed (宁夏: the city reviews
 * farmland patches, the province all — 001). Prints the events of each patch workflow's history (all
 * runs), the largest, by event type, and whether any run continued as new; against the no-op workflow's
 * history in the same run.
 *
 *   npm run bench:history -- [--n 10]
 */
import { parseArgs } from 'node:util';
import { issuePatch } from '../api/services/issue-patch';
import { SYSTEM_ACTOR } from '../domain/types';
import proto from '@temporalio/proto';
import { rectangle } from '../scripts/demo/patches';
import { type ApiBench, startApiBench } from './api-support';
import { pool, waitFor } from './support';

const { values } = parseArgs({ options: { n: { type: 'string', default: '10' } } });
const N = Number(values.n);
const EventType = proto.temporal.api.enums.v1.EventType;

const legalWithFarmland = {
  determination: {
    legality: 'legal',
    subType: 'approved_construction',
    approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }],
    areas: { totalMu: 5, farmlandMu: 2, basicFarmlandMu: 0, redLineMu: 0 },
    evidence: [],
  },
};

async function openTask(sys: ApiBench, code: string, type: string, user: string) {
  const token = await sys.login(user);
  const filter = encodeURIComponent(JSON.stringify({ patchCode: code, status: 'open', type }));
  let task: { id: string } | undefined;
  await waitFor(async () => {
    task = (await sys.http('GET', `/api/tasks?filter=${filter}`, { token })).body?.[0];
    return task !== undefined;
  }, 100);
  return task as { id: string };
}

async function complete(sys: ApiBench, user: string, taskId: string, body: unknown) {
  const res = await sys.http('POST', `/api/tasks/${encodeURIComponent(taskId)}/complete`, { token: await sys.login(user), body });
  if (res.status !== 200) throw new Error(`complete ${taskId} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { stage: string };
}

/** One patch down the happy path; returns its workflow id. */
async function happyPath(sys: ApiBench, code: string): Promise<string> {
  const deps = { db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue };
  const patch = {
    code,
    countyCode: '640104',
    category: 'new_non_agricultural_construction',
    source: 'ministry',
    batchKind: 'monthly',
    batchCode: `HIST-${code.slice(0, 6)}`,
    areaMu: 5,
    geometry: rectangle([106.288, 38.473], 5),
    military: false,
  } as const;
  await issuePatch(deps, patch, SYSTEM_ACTOR);
  await complete(sys, 'xq.officer', (await openTask(sys, code, 'verification', 'xq.officer')).id, legalWithFarmland);
  await complete(sys, 'yc.reviewer', (await openTask(sys, code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
  const last = await complete(sys, 'nx.reviewer', (await openTask(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
  if (last.stage !== 'closed') throw new Error(`${code}: expected closed after the province review, got ${last.stage}`);
  await sys.temporal.workflow.getHandle(code).result();
  return code;
}

/** The events of every run of a workflow (following continue-as-new), by type. */
async function historyOf(sys: ApiBench, workflowId: string) {
  const byType = new Map<string, number>();
  let events = 0;
  let runs = 0;
  let runId: string | undefined;
  for (;;) {
    runs++;
    const history = await sys.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    let next: string | undefined;
    for (const e of history.events ?? []) {
      events++;
      const name = EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, '');
      byType.set(name, (byType.get(name) ?? 0) + 1);
      const attrs = e.workflowExecutionContinuedAsNewEventAttributes;
      if (attrs?.newExecutionRunId) next = attrs.newExecutionRunId;
    }
    if (!next) break;
    runId = next;
  }
  return { events, runs, byType };
}

async function main() {
  const sys = await startApiBench();
  try {
    const runId = Date.now().toString(36).toUpperCase();
    const noopId = `noop-history-${runId}`;
    await sys.temporal.workflow.execute('noopWorkflow', { workflowId: noopId, taskQueue: sys.taskQueue });
    const noop = await historyOf(sys, noopId);

    const t0 = performance.now();
    const ids = Array.from({ length: N }, (_, i) => `H${runId}${String(i).padStart(4, '0')}`);
    await pool(ids, 4, (code) => happyPath(sys, code));
    const seconds = (performance.now() - t0) / 1000;
    const histories: Awaited<ReturnType<typeof historyOf>>[] = [];
    await pool(ids, 8, async (id) => histories.push(await historyOf(sys, id)));
    const counts = histories.map((h) => h.events).sort((a, b) => a - b);
    const largest = histories.reduce((a, b) => (b.events > a.events ? b : a));
    const continued = histories.filter((h) => h.runs > 1).length;

    console.log(`\n${N} patches down the happy path (verification → city review → province review → closed) in ${seconds.toFixed(1)} s`);
    console.log(
      `events per patch workflow   min ${counts[0]}  median ${counts[Math.floor(counts.length / 2)]}  max ${counts[counts.length - 1]}   (goal ≤ 100)`,
    );
    console.log(`no-op workflow              ${noop.events} events   (ratio patch / no-op ${(counts[counts.length - 1] / noop.events).toFixed(1)})`);
    console.log(`continued as new            ${continued} of ${N} patches   (goal: none)`);
    console.log('the largest history by event type:');
    for (const [type, n] of [...largest.byType].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(40)} ${String(n).padStart(4)}`);
  } finally {
    await sys.stop();
  }
}

await main();
