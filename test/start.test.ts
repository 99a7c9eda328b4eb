/**
 * `npm start` itself, as a new user runs it: the whole system comes up on embedded defaults (its own
 * data folder and ports here), says "ready" with the URLs and demo logins, the demo officer sees tasks;
 * Ctrl-C stops every process it started; a second start is ready quickly and keeps the data (the demo
 * data is not loaded twice).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../infra/config';
import { freePort } from './support/ports';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-start-'));
chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when we are root
let ports: Record<'API_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'EMBEDDED_PG_PORT', number>;
let running: ChildProcess | undefined;

afterAll(async () => {
  if (running && running.exitCode === null) {
    running.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 15_000));
    for (const pid of descendants(running.pid!)) tryKill(pid);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function tryKill(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Every process below `pid` (from ps), deepest last. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** Alive and not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The processes of `pids` still alive after they had up to `ms` to finish. */
async function survivors(pids: number[], ms = 10_000): Promise<number[]> {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  return pids.filter(alive);
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

/** Runs `npm start`'s script and resolves when it prints "ready", with what it printed and how long it took. */
function start(): Promise<{ child: ChildProcess; output: string; seconds: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/start.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready$/m.test(output)) resolve({ child, output, seconds: (Date.now() - t0) / 1000 });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before ready:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<number[]> {
  const below = descendants(child.pid!);
  expect(below.length).toBeGreaterThanOrEqual(4); // PostgreSQL, the Temporal CLI, the worker, the API
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  return below;
}

async function api(pathname: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`http://127.0.0.1:${ports.API_PORT}/api${pathname}`, {
    method: opts.body ? 'POST' : 'GET',
    headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const login = async (username: string) => (await api('/auth/login', { body: { username, password: 'wpzf2026' } })).body.token as string;

async function counts() {
  const admin = await login('admin');
  const patches = await api('/patches?range=[0,0]', { token: admin });
  const tasks = await api('/tasks?range=[0,0]', { token: admin });
  const total = (h: Headers) => Number(h.get('content-range')!.split('/')[1]);
  return { patches: total(patches.headers), tasks: total(tasks.headers) };
}

describe('npm start', () => {
  it('starts everything, stops everything on Ctrl-C, and starts again keeping the data', { timeout: 600_000 }, async () => {
    ports = { API_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), EMBEDDED_PG_PORT: await freePort() };

    const first = await start();
    expect(first.output).toContain(`http://127.0.0.1:${ports.API_PORT}/`);
    expect(first.output).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    expect(first.output).toMatch(/xq\.officer\s+兴庆区核查员/);
    expect(first.output).toContain('demo data loaded');
    const health = await api('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
    const officer = await login('xq.officer');
    const inbox = await api('/tasks?filter={"status":"open"}', { token: officer });
    expect(inbox.status).toBe(200);
    expect(inbox.body.length).toBeGreaterThan(0);
    expect(inbox.body.every((t: { regionCode: string }) => t.regionCode === '640104')).toBe(true);
    // The dev server it started has the custom search attributes on its default namespace: a region's
    // patches in a stage are found by query (what `temporal workflow list --query` does).
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
    try {
      const found: string[] = [];
      const query = "CountyCode = '640104' AND Stage = 'verification' AND ExecutionStatus = 'Running'";
      for (let i = 0; i < 50 && found.length === 0; i++) {
        for await (const wf of new Client({ connection, namespace: 'default' }).workflow.list({ query })) found.push(wf.workflowId);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((id) => id.startsWith('640104'))).toBe(true);
    } finally {
      await connection.close();
    }
    // The demo data is moved along by workflows: wait until it settles before comparing after the restart.
    let before = await counts();
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const now = await counts();
      if (now.patches === before.patches && now.tasks === before.tasks) break;
      before = now;
    }
    expect(before.patches).toBeGreaterThan(0);

    const stopped = await stop(first.child);
    expect(await survivors(stopped)).toEqual([]);
    for (const port of Object.values(ports)) expect(await portIsFree(port), `port ${port}`).toBe(true);

    const second = await start();
    console.log(`npm start: first ready in ${first.seconds.toFixed(1)} s, second in ${second.seconds.toFixed(1)} s`);
    expect(second.seconds).toBeLessThan(60);
    expect(second.output).not.toContain('demo data loaded');
    expect(await counts()).toEqual(before);
    const again = await login('xq.officer');
    expect((await api('/tasks?filter={"status":"open"}', { token: again })).body.length).toBe(inbox.body.length);
    const stoppedAgain = await stop(second.child);
    expect(await survivors(stoppedAgain)).toEqual([]);
  });
});
