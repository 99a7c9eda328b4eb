/**
 * Officers working their inbox at once through the HTTP API: each lists the open verification tasks of
 * its county, claims one (an Update), and completes it (合法, with its approval document: an Update), until
 * none is left. Prints p50/p95/p99 per request, tasks/s, and where the time goes — the Update round trip
 * as the API's Temporal client sees it, and the activities as the worker runs them — against the API's
 * own round trip (an authenticated read of one task, no Temporal) measured under the same load in the
 * same run.
 *
 *   npm run bench:tasks -- [--officers 20] [--patches 400]
 */
import { parseArgs } from 'node:util';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { issueOneByOne } from './issuance';
import { activityTimer, addUsers, type ApiBench, startApiBench, Timings } from './api-support';

const { values } = parseArgs({
  options: {
    officers: { type: 'string', default: '20' },
    patches: { type: 'string', default: '400' },
    memory: { type: 'boolean', default: false },
  },
});
const OFFICERS = Number(values.officers);
const PATCHES = Number(values.patches);
const COUNTY = '640104';

const timings = new Timings();

/** The API's Temporal client: times each Update from its start to its outcome. */
const updateTimer: WorkflowClientInterceptor = {
  async startUpdate(input, next) {
    const t0 = performance.now();
    try {
      return await next(input);
    } finally {
      timings.add(`update ${input.updateName}`, performance.now() - t0);
    }
  },
};

const legal = {
  determination: {
    legality: 'legal',
    subType: 'approved_construction',
    approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }],
    areas: { totalMu: 3.5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
    evidence: [],
  },
};

const issue = (sys: ApiBench, codes: string[], batchCode: string) => issueOneByOne(sys, codes, { batchCode, countyCode: COUNTY, concurrency: 32 });

/** An officer: list, claim one at random from the page, complete it; until the inbox is empty. */
async function officer(sys: ApiBench, username: string, counts: { done: number; lost: number }) {
  const token = await sys.login(username);
  const filter = encodeURIComponent(JSON.stringify({ status: 'open', type: 'verification', assignee: 'none' }));
  for (;;) {
    const list = await timings.time('GET /api/tasks (inbox page)', () => sys.http('GET', `/api/tasks?filter=${filter}&range=[0,49]`, { token }));
    if (list.status !== 200) throw new Error(`list: ${list.status} ${JSON.stringify(list.body)}`);
    const page = list.body as Array<{ id: string }>;
    if (page.length === 0) return;
    const task = page[Math.floor(Math.random() * page.length)];
    const id = encodeURIComponent(task.id);
    await timings.time('GET /api/tasks/:id (API alone)', () => sys.http('GET', `/api/tasks/${id}`, { token }));
    const claim = await timings.time('POST /api/tasks/:id/claim', () => sys.http('POST', `/api/tasks/${id}/claim`, { token }));
    if (claim.status !== 200) {
      counts.lost++; // another officer claimed it first
      continue;
    }
    const done = await timings.time('POST /api/tasks/:id/complete', () => sys.http('POST', `/api/tasks/${id}/complete`, { token, body: legal }));
    if (done.status !== 200) throw new Error(`complete ${task.id}: ${done.status} ${JSON.stringify(done.body)}`);
    counts.done++;
  }
}

async function main() {
  const sys = await startApiBench({
    memory: values.memory,
    clientInterceptors: [updateTimer],
    workerOptions: { interceptors: { activity: [activityTimer(timings)] } },
  });
  try {
    const runId = Date.now().toString(36).toUpperCase();
    const names = await addUsers(sys, 'bench.officer', OFFICERS, 'officer', COUNTY);
    await Promise.all(names.map((n) => sys.login(n)));

    // Warm-up: a few tasks by one officer, then the figures start from nothing.
    await issue(
      sys,
      Array.from({ length: 5 }, (_, i) => `W${runId}${i}`),
      `WARM-${runId}`,
    );
    await officer(sys, names[0], { done: 0, lost: 0 });
    timings.clear();

    const t = performance.now();
    await issue(
      sys,
      Array.from({ length: PATCHES }, (_, i) => `T${runId}${String(i).padStart(6, '0')}`),
      `TASKS-${runId}`,
    );
    const issueSeconds = (performance.now() - t) / 1000;
    timings.clear(); // the issuance's own activities are not the officers' requests

    const counts = { done: 0, lost: 0 };
    const t0 = performance.now();
    await Promise.all(names.map((n) => officer(sys, n, counts)));
    const seconds = (performance.now() - t0) / 1000;

    console.log(
      `\n${OFFICERS} officers, ${PATCHES} verification tasks (issued in ${issueSeconds.toFixed(1)} s), one county, dev server ${values.memory ? 'in memory' : 'on SQLite'}`,
    );
    console.log(
      `completed ${counts.done} tasks in ${seconds.toFixed(1)} s: ${(counts.done / seconds).toFixed(1)} tasks/s; ${counts.lost} claims lost to another officer`,
    );
    console.log('per request (as the officers see it):');
    for (const name of timings.names().filter((n) => /^(GET|POST) /.test(n))) console.log(`  ${timings.line(name)}`);
    console.log('where the time goes (inside the API and the worker):');
    for (const name of timings.names().filter((n) => !/^(GET|POST) /.test(n))) console.log(`  ${timings.line(name)}`);
    // Per request, on average: the API's own part (the request less its Update), and the Update's round trip
    // less the activities it ran (the server, the task queue, the worker's workflow task), in ms.
    const mean = (name: string) => (timings.count(name) ? timings.total(name) / timings.count(name) : 0);
    const perCompletion = (names: string[]) => names.reduce((sum, n) => sum + timings.total(n), 0) / Math.max(1, timings.count('update completeTask'));
    const completionActivities = timings.names().filter((n) => n.startsWith('activity ') && !/recordAssignment|measurePatch/.test(n));
    console.log('mean per request, split (ms):        API part   Update outside activities   activities');
    console.log(
      `  claim                             ${(mean('POST /api/tasks/:id/claim') - mean('update assignTask')).toFixed(1).padStart(8)} ${(mean('update assignTask') - mean('activity recordAssignment (local)')).toFixed(1).padStart(27)} ${mean('activity recordAssignment (local)').toFixed(1).padStart(12)}`,
    );
    console.log(
      `  complete                          ${(mean('POST /api/tasks/:id/complete') - mean('update completeTask')).toFixed(1).padStart(8)} ${(mean('update completeTask') - perCompletion(completionActivities)).toFixed(1).padStart(27)} ${perCompletion(completionActivities).toFixed(1).padStart(12)}   (${completionActivities.map((n) => n.replace('activity ', '')).join(', ')})`,
    );
    const api = timings.percentile('GET /api/tasks/:id (API alone)', 99);
    for (const name of ['POST /api/tasks/:id/claim', 'POST /api/tasks/:id/complete']) {
      console.log(`ratio p99 ${name.padEnd(30)} / API alone ${(timings.percentile(name, 99) / api).toFixed(1).padStart(6)}   (goal p99 < 150 ms)`);
    }
  } finally {
    await sys.stop();
  }
}

await main();
