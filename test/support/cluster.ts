/**
 * `npm run start:cluster` under test: the launcher as a child process (its own process group), on a
 * PostgreSQL this test runs (DATABASE_URL), so that the test can stop and start it; seen as a
 * TestSystem, so that the fixtures drive it through its API like any other system.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../../db/client';
import { PROJECT_ROOT } from '../../infra/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../infra/postgres';
import { freeClusterPort } from '../../infra/temporal-cluster/config';
import { descendants, tryKill } from './processes';
import { apiClient, type TestSystem } from './system';

export interface ClusterUnderTest extends TestSystem {
  launcher: ChildProcess;
  pg: EmbeddedPostgresHandle;
  /** What the launcher printed (the last 200 kB). */
  output(): string;
  /** The pids of the launcher's children whose command line contains `pattern` (`--service history`, `worker/main.ts`). */
  pidsOf(pattern: string): number[];
  /** Stops the launcher (as Ctrl-C does) and starts it again on the same data; resolves once it is ready. */
  restart(): Promise<void>;
}

export async function startClusterUnderTest(opts: { workers?: number; readyTimeoutMs?: number } = {}): Promise<ClusterUnderTest> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-cluster-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freeClusterPort(), persistent: true });
  const databaseUrl = await pg.createDatabase('wpzf');
  const apiPort = await freeClusterPort();
  const temporalPort = await freeClusterPort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: path.join(tmp, 'data'),
    API_PORT: String(apiPort),
    TEMPORAL_PORT: String(temporalPort),
    CLUSTER_WORKERS: String(opts.workers ?? 2),
    LOG_LEVEL: 'warn',
  };
  let out = '';
  let launcher: ChildProcess;
  let exited: Promise<string>;
  const stopLauncher = async () => {
    if (launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill('SIGTERM');
      const timer = setTimeout(() => tryKill(-launcher.pid!, 'SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const launch = async () => {
    out = '';
    launcher = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/start-cluster.ts')], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (c: Buffer) => {
      out = (out + c.toString()).slice(-200_000);
    };
    launcher.stdout!.on('data', keep);
    launcher.stderr!.on('data', keep);
    exited = new Promise<string>((resolve) => launcher.once('exit', (code, signal) => resolve(String(signal ?? code))));
    const until = Date.now() + (opts.readyTimeoutMs ?? 600_000);
    while (!/^ready$/m.test(out)) {
      if (launcher.exitCode !== null || Date.now() > until) {
        await stopLauncher();
        throw new Error(`start:cluster did not reach ready:\n${out.slice(-5000)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  try {
    await launch();
  } catch (err) {
    await pg.stop();
    throw err;
  }

  const database = connectDatabase(databaseUrl, { max: 10 });
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const connection = await Connection.connect({ address: temporalAddress });
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  let counter = 0;
  return {
    get launcher() {
      return launcher;
    },
    pg,
    async restart() {
      await stopLauncher();
      await launch();
    },
    output: () => out,
    pidsOf: (pattern) =>
      descendants(launcher.pid!)
        .filter((p) => p.args.includes(pattern))
        .map((p) => p.pid),
    database,
    temporal: new Client({ connection, namespace: 'default' }),
    taskQueue: 'wpzf',
    baseUrl,
    uploadsDir: path.join(tmp, 'data', 'uploads'),
    worker: undefined,
    databaseUrl,
    namespace: 'default',
    temporalAddress,
    restartWorker: () => Promise.reject(new Error('the cluster supervises its own workers')),
    ...apiClient(baseUrl),
    sql: database.sql,
    unique: (prefix = 'C') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase(),
    async stop() {
      await connection.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      await stopLauncher();
      tryKill(-launcher.pid!, 'SIGKILL'); // anything of its group left behind
      await pg.stop().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
