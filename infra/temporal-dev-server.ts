/**
 * Starts the Temporal dev server through the SDK's ephemeral-server support, pointed at the CLI this
 * project found or built (`existing-path`), or at the SDK's usual download when there is none.
 * The custom search attributes the workflows use are registered on every start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import { findOrBuildTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  /** SQLite file for persistent state; in memory when unset. */
  dbFilename?: string;
  port?: number;
  ui?: boolean;
  uiPort?: number;
  log?: (msg: string) => void;
  extraArgs?: string[];
}

export interface DevServer {
  address: string;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

/** SQLite's defaults make the dev server slow (fsync per commit); WAL with normal sync is safe for dev use. */
export const SQLITE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const log = opts.log ?? (() => {});
  const cli = await findOrBuildTemporalCli(log);
  if (!cli) log('no Temporal CLI and no Go: falling back to the SDK download of the dev server');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      dbFilename: opts.dbFilename,
      port: opts.port,
      ui: opts.ui ?? false,
      uiPort: opts.uiPort,
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      extraArgs: [...(opts.dbFilename ? SQLITE_PRAGMAS : []), ...(opts.extraArgs ?? [])],
    },
  });
  return { address: env.address, env, stop: () => env.teardown() };
}

/**
 * The dev server as a child process of this one (the Temporal CLI run directly), so that its owner sees
 * it die and can start it again on the same port and state file: `npm start` supervises it this way,
 * and the fault tests kill it. Needs the CLI (infra/temporal-cli.ts); without one, use startDevServer.
 */
export interface DevServerProcess {
  address: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<string>;
  /** Stops the server (SIGTERM, then SIGKILL after `graceMs`) and waits for it to end. */
  stop(graceMs?: number): Promise<void>;
}

export async function spawnDevServerProcess(opts: {
  cli: string;
  port: number;
  dbFilename?: string;
  uiPort?: number;
  namespace?: string;
  log?: (msg: string) => void;
  /** How long to wait for the frontend to answer. */
  readyTimeoutMs?: number;
  /** In its own process group: a Ctrl-C to the owner's group does not reach it, the owner stops it. */
  detached?: boolean;
}): Promise<DevServerProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace ?? 'default',
    '--log-format',
    'pretty',
    '--log-level',
    'error',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(opts.dbFilename ? ['--db-filename', opts.dbFilename, ...SQLITE_PRAGMAS] : []),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...SEARCH_ATTRIBUTE_KEYS.flatMap(({ name, type }) => ['--search-attribute', `${name}=${TypedSearchAttributes.toMetadataType(type)}`]),
  ];
  const child = spawn(opts.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))));
  const address = `127.0.0.1:${opts.port}`;
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  };
  // Ready when the frontend answers (the CLI prints nothing reliable to wait for at log level error).
  const until = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`the Temporal dev server exited on start (port ${opts.port}):\n${output}`);
    if (await frontendAnswers(address)) break;
    if (Date.now() > until) {
      await stop(1000);
      throw new Error(`the Temporal dev server did not answer on ${address} within the time limit:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  opts.log?.(`Temporal dev server (pid ${child.pid}) on ${address}`);
  return { address, child, exited, stop };
}

/** Whether a Temporal frontend answers on `address` (one short attempt). */
export async function frontendAnswers(address: string, timeoutMs = 2000): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: timeoutMs }).catch(() => undefined);
  if (!connection) return false;
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
