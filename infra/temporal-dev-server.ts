/**
 * Starts the Temporal dev server through the SDK's ephemeral-server support, pointed at the CLI this
 * project found or built (`existing-path`), or at the SDK's usual download when there is none.
 * The custom search attributes the workflows use are registered on every start.
 */
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
