/**
 * `npm start` as a supervisor, run as a user runs it (`npm start`, through the tsx CLI, in its own
 * process group like a terminal's foreground job): SIGKILL its worker, its API and its Temporal dev
 * server one after the other — each comes back (health ok again) while the rest stays up, and
 * /api/health answers quickly meanwhile, saying what is down. Ctrl-C (SIGINT to the whole group) then
 * leaves no process and no port behind. The embedded PostgreSQL refuses postgres/postgres.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../infra/config';
import { freePort } from './support/ports';
import { alive, descendants, portIsFree, survivors, tryKill } from './support/processes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-supervise-'));
chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when we are root
let ports: Record<'API_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'EMBEDDED_PG_PORT', number>;
let running: ChildProcess | undefined;
let output = '';

afterAll(async () => {
  if (running?.pid && running.exitCode === null) {
    const below = descendants(running.pid).map((p) => p.pid);
    tryKill(-running.pid, 'SIGINT');
    for (const pid of await survivors(below, 20_000)) tryKill(pid);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` in its own process group; resolves when it prints "ready". */
function npmStart(): Promise<ChildProcess> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      NODE_OPTIONS: '',
      WORKER_CACHED_WORKFLOWS: '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running = child;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready$/m.test(output)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before ready:\n${output.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`npm start not ready after ${PHASE_MS.start / 1000} s:\n${output.slice(-3000)}`)), PHASE_MS.start).unref();
  });
}

/** How long each phase may take (a loaded CI machine is several times slower than a quiet one): a phase
 *  that overruns fails with the tail of npm start's output, instead of the whole test timing out. */
const PHASE_MS = { start: 240_000, comeBack: 150_000, ctrlC: 90_000 };

interface Health {
  status: number;
  ms: number;
  body?: { status: string; postgres: { ok: boolean }; temporal: { ok: boolean }; worker: { ok: boolean } };
}

async function health(): Promise<Health> {
  const t = Date.now();
  try {
    const res = await fetch(`http://127.0.0.1:${ports.API_PORT}/api/health`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, ms: Date.now() - t, body: (await res.json()) as Health['body'] };
  } catch {
    return { status: 0, ms: Date.now() - t }; // nothing listening (the API itself is down)
  }
}

const ROLES = {
  worker: /worker\/main\.ts/,
  api: /api\/main\.ts/,
  temporal: /temporal server start-dev/,
  postgres: /bin\/postgres -D/,
} as const;
type Role = keyof typeof ROLES;

function rolePids(root: number): Record<Role, number | undefined> {
  const below = descendants(root);
  return Object.fromEntries(Object.entries(ROLES).map(([role, re]) => [role, below.find((p) => re.test(p.args))?.pid])) as Record<Role, number | undefined>;
}

async function loginCode(password: string): Promise<string> {
  const sql = postgres({
    host: '127.0.0.1',
    port: ports.EMBEDDED_PG_PORT,
    user: 'postgres',
    password,
    database: 'wpzf',
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
  });
  try {
    await sql`select 1`;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('npm start supervises its processes', () => {
  it('brings back a killed worker, API and Temporal dev server without stopping the rest; Ctrl-C leaves nothing', { timeout: 900_000 }, async () => {
    ports = { API_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), EMBEDDED_PG_PORT: await freePort() };
    const npm = await npmStart();
    const root = npm.pid!;
    expect((await health()).body?.status).toBe('ok');

    // The embedded PostgreSQL: random password in a 0600 file, postgres/postgres refused.
    const passwordFile = path.join(dataDir, 'pg-password');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(await loginCode('postgres')).toBe('28P01');
    expect(await loginCode(readFileSync(passwordFile, 'utf8').trim())).toBe('ok');

    // The worker runs on its memory budget (scripts/supervisor.ts workerProcessEnv; bench:import-rss measures it).
    const workerEnv = readFileSync(`/proc/${rolePids(root).worker}/environ`, 'utf8').split('\0');
    expect(workerEnv).toContain('NODE_OPTIONS=--max-old-space-size=256');
    expect(workerEnv).toContain('WORKER_CACHED_WORKFLOWS=100');

    const report: string[] = [];
    for (const victim of ['worker', 'api', 'temporal'] as const) {
      const before = rolePids(root);
      expect(Object.values(before).every(Boolean), JSON.stringify(before)).toBe(true);
      const t0 = Date.now();
      tryKill(before[victim]!);
      const seen = new Map<string, number>();
      let slowest = 0;
      let back: number | undefined;
      while (Date.now() - t0 < PHASE_MS.comeBack) {
        const h = await health();
        const key = h.status === 0 ? 'no answer' : `${h.status} ${h.body?.status}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (h.status !== 0) slowest = Math.max(slowest, h.ms);
        const now = rolePids(root);
        if (h.body?.status === 'ok' && now[victim] && now[victim] !== before[victim]) {
          back = Date.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const after = rolePids(root);
      const line = `${victim} SIGKILLed: back (health ok, new pid ${after[victim]}) after ${back} ms; health answers meanwhile ${JSON.stringify(Object.fromEntries(seen))}, slowest ${slowest} ms`;
      console.log(line);
      report.push(line);
      expect(back, `${line}\n${output.slice(-3000)}`).toBeDefined();
      expect(slowest, 'health answers within 2 s while something is down').toBeLessThan(2000);
      // The rest stayed up: the same processes as before.
      for (const role of Object.keys(ROLES) as Role[]) if (role !== victim) expect(after[role], `${role} kept running`).toBe(before[role]);
      expect(alive(root)).toBe(true);
    }
    expect(output).toMatch(/worker exited \(SIGKILL\); starting it again/);
    expect(output).toMatch(/api exited \(SIGKILL\); starting it again/);
    expect(output).toMatch(/Temporal dev server exited \(SIGKILL\); starting it again/);

    // Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it.
    const below = descendants(root).map((p) => p.pid);
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    tryKill(-root, 'SIGINT');
    const stoppedIn = await Promise.race([exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('still running'), PHASE_MS.ctrlC))]);
    expect(stoppedIn, `npm start after Ctrl-C:\n${output.slice(-3000)}`).toBe('exited');
    const left = await survivors(below, 20_000);
    const leftArgs = descendants(1)
      .filter((p) => left.includes(p.pid))
      .map((p) => `${p.pid} ${p.args.slice(0, 100)}`);
    console.log(`Ctrl-C: ${below.length} processes below npm start, ${left.length} left after it`);
    expect(leftArgs).toEqual([]);
    for (const [name, port] of Object.entries(ports)) expect(await portIsFree(port), `${name} ${port} is free`).toBe(true);
    expect(output).not.toContain('Not running. Current state');
  });
});
