/**
 * Fault: the Temporal server is SIGKILLed in the middle of an import through the API and started again
 * a few seconds later on the same port and state file (a dev server of this test's own, not the shared
 * one). Meanwhile the API answers no 5xx other than 503, and a 503 for a request that needed Temporal
 * carries Retry-After; /api/health answers within a couple of seconds and says Temporal is down. After:
 * the worker process and the API found the server again by themselves, the import completed with no
 * manual step, and every patch has exactly one workflow, one open first task and one patch.issued audit
 * row. Prints what it counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrBuildTemporalCli } from '../infra/temporal-cli';
import { spawnDevServerProcess, type DevServerProcess } from '../infra/temporal-dev-server';
import { integrity, intact, settled, syntheticBatch } from './support/fault-checks';
import { uploadBatch, waitForImport } from './support/imports';
import { freePort } from './support/ports';
import { startTestSystem, type TestSystem } from './support/system';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

/** FAULT_PATCHES makes a quicker run on a busy machine. */
const N = Number(process.env.FAULT_PATCHES ?? 1000);
const DOWN_MS = 6000;
const LONG_DOWN_MS = 25_000;

let sys: TestSystem | undefined;
let worker: WorkerProcess | undefined;
let server: DevServerProcess | undefined;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-temporal-kill-'));
let cli: string;
let port: number;
const dbFilename = path.join(tmp, 'temporal.db');

beforeAll(async () => {
  const found = await findOrBuildTemporalCli((m) => console.log(m));
  if (!found) throw new Error('this test needs the Temporal CLI (infra/temporal-cli.ts)');
  cli = found;
  port = await freePort();
  server = await spawnDevServerProcess({ cli, port, dbFilename });
  sys = await startTestSystem({ temporalAddress: server.address, worker: 'none' });
}, 180_000);
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await sys?.stop().catch(() => undefined);
  await server?.stop(2000);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the Temporal server SIGKILLed mid-import and started again', () => {
  it('costs nothing: no 5xx but 503, the import completes, every patch issued once', { timeout: 900_000 }, async () => {
    const s = sys!;
    const admin = await s.login('admin');
    const officer = await s.login('xq.officer');
    const { bytes } = await syntheticBatch(s, N, 43);
    const batchCode = s.unique('S');
    const t0 = Date.now();
    worker = spawnWorker(s);
    await worker.ready;
    console.log(`[${Date.now() - t0} ms] worker ready`);
    const upload = await uploadBatch(
      s,
      admin,
      { bytes, name: 'killed-temporal.geojson' },
      { batchCode, source: 'ministry', kind: 'monthly', imagedOn: '2026-03-01', issuedOn: '2026-03-09' },
    );
    expect(upload.status, JSON.stringify(upload.body)).toBe(202);

    // Mid-import: a quarter of the features started, and some first tasks open already.
    let openTask: string | undefined;
    for (;;) {
      const job = await s.http('GET', `/api/imports/${upload.body.id}`, { token: admin });
      const [task] =
        await s.sql`select t.id from tasks t join patches p on p.code = t.patch_code where p.batch_code = ${batchCode} and t.region_code = '640104' and t.status = 'open' limit 1`;
      openTask = task?.id;
      if (job.body.processed >= N / 4 && openTask) break;
      if (Date.now() - t0 > 120_000) throw new Error(`no open task in 640104 mid-import: ${JSON.stringify(job.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    /**
     * SIGKILLs the server, keeps it down `downMs`, starts it again on the same port and state file, and
     * waits until the API sees it again — counting what the API answers all the while.
     */
    const outage = async (downMs: number) => {
      const answers = new Map<string, number>();
      const bad: string[] = [];
      let slowestHealth = 0;
      let probing = true;
      const probe = async (method: string, url: string, token?: string, body?: unknown) => {
        const t = Date.now();
        const res = await s.http(method, url, { token, body }).catch((err: Error) => ({ status: 0, headers: new Headers(), body: err.message }));
        const key = `${method} ${url.replace(/\/[A-Z0-9]{8,}.*$/, '/:id').replace(/\?.*$/, '')} ${res.status}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        if (url === '/api/health') slowestHealth = Math.max(slowestHealth, Date.now() - t);
        if (res.status === 0 || (res.status >= 500 && res.status !== 503)) bad.push(`${key}: ${JSON.stringify(res.body).slice(0, 300)}`);
        if (res.status === 503 && url !== '/api/health' && !res.headers.get('retry-after')) bad.push(`${key} without Retry-After`);
      };
      // Each request in a loop of its own, so that one waiting on Temporal does not hold up the others.
      const loop = async (fn: () => Promise<unknown>) => {
        while (probing) {
          await fn();
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const prober = Promise.all([
        loop(() => probe('GET', '/api/health')),
        loop(() => probe('GET', `/api/imports/${upload.body.id}`, admin)),
        loop(() => probe('GET', '/api/tasks?range=[0,4]', officer)),
        loop(() => probe('POST', `/api/tasks/${openTask}/extension`, officer, { reason: '故障测试期间的延期申请' })),
      ]);
      const tKill = Date.now();
      server!.child.kill('SIGKILL');
      await server!.exited;
      await new Promise((r) => setTimeout(r, downMs));
      const healthDown = await s.http('GET', '/api/health');
      server = await spawnDevServerProcess({ cli, port, dbFilename });
      const restartedAfter = Date.now() - tKill;
      let healthBackMs = 0;
      for (;;) {
        const h = await s.http('GET', '/api/health');
        if (h.status === 200 && h.body.temporal.ok) {
          healthBackMs = Date.now() - tKill;
          break;
        }
        if (Date.now() - tKill > 120_000) throw new Error(`the API did not see Temporal again: ${JSON.stringify(h.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, 2000));
      probing = false;
      await prober;
      const summary = `down ${downMs} ms, started again after ${restartedAfter} ms, API healthy again after ${healthBackMs} ms; answers meanwhile ${JSON.stringify(Object.fromEntries(answers))}, slowest health ${slowestHealth} ms, bad ${bad.length}`;
      return { healthDown, bad, slowestHealth, answers, summary };
    };

    // 1. Mid-import, a short outage (the clients' own retries span it).
    console.log(`[${Date.now() - t0} ms] killing the Temporal server mid-import`);
    const midImport = await outage(DOWN_MS);
    console.log(`[${Date.now() - t0} ms] Temporal back; waiting for the import`);
    const { job } = await waitForImport(s, admin, upload.body.id, 600_000);
    const counts = await settled(s, batchCode, N, 600_000);
    console.log(
      `Temporal SIGKILLed mid-import (${N / 4}+/${N}): ${midImport.summary}; ` +
        `import ${job.status} (started ${job.started}, existing ${job.existing}) after ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `patches ${counts.patches}, workflows ${counts.workflows} (mismatched ${counts.workflowMismatches}), one open first task ${counts.oneOpenFirstTask} (duplicated ${counts.duplicatedFirstTasks}), ` +
        `one patch.issued row ${counts.oneIssuedAudit} (missing ${counts.missingIssuedAudit}, duplicated ${counts.duplicatedIssuedAudit})`,
    );

    // 2. With every first task open and its deadline timer running, an outage longer than the clients'
    //    retries: requests that need Temporal answer 503 with Retry-After.
    const withTimers = await outage(LONG_DOWN_MS);
    const afterTimers = await integrity(s, batchCode);
    console.log(`Temporal SIGKILLed with ${N} open first tasks and their timers: ${withTimers.summary}; counts after ${JSON.stringify(afterTimers)}`);

    for (const o of [midImport, withTimers]) {
      expect(o.healthDown.status).toBe(503);
      expect(o.healthDown.body).toMatchObject({ status: 'unavailable', temporal: { ok: false }, postgres: { ok: true } });
      expect(o.bad).toEqual([]);
      expect(o.slowestHealth).toBeLessThan(2500);
    }
    expect(withTimers.answers.get('POST /api/tasks/:id 503')).toBeGreaterThan(0);
    expect(afterTimers).toEqual(counts);
    expect(job.status).toBe('completed');
    expect(counts).toEqual(intact(N));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await integrity(s, batchCode)).toEqual(counts);
  });
});
