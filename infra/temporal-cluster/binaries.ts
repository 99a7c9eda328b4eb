/**
 * The self-hosted Temporal server and its SQL schema tool (temporal-sql-tool), version 1.29.1, found in
 * the user cache (~/.cache/wpzf/temporal-server-v1.29.1/{server,sql}) or built there with Go, like the
 * CLI (infra/temporal-cli.ts): `go install go.temporal.io/server/cmd/server@v1.29.1` and
 * `…/cmd/tools/sql@v1.29.1`, a few minutes each, once per machine. The PostgreSQL schemas and the
 * configuration templates come from the same module in Go's module cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { commandOutput, isExecutable, USER_CACHE_DIR, which } from '../tool-cache';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const CACHE_DIR = path.join(USER_CACHE_DIR, `temporal-server-${TEMPORAL_SERVER_VERSION}`);

export interface TemporalServerBinaries {
  server: string;
  sql: string;
  /** The module's source folder: schema/postgresql/v12/… lives there. */
  moduleDir: string;
}

const BUILDS = { server: 'cmd/server', sql: 'cmd/tools/sql' } as const;

function goInstall(pkg: string, log: (msg: string) => void): Promise<void> {
  log(`building ${pkg}@${TEMPORAL_SERVER_VERSION} with Go into ${CACHE_DIR}; the first build takes a few minutes…`);
  return new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', `${pkg}@${TEMPORAL_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: CACHE_DIR },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install ${pkg} exited with ${code}`))));
  });
}

/** The module's folder in Go's module cache, downloaded when missing (`go mod download`). */
function moduleDir(): string | undefined {
  const modcache = commandOutput('go', ['env', 'GOMODCACHE']);
  const dir = modcache ? path.join(modcache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`) : undefined;
  if (dir && existsSync(path.join(dir, 'schema'))) return dir;
  const out = commandOutput('go', ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`]);
  const downloaded = out ? (JSON.parse(out) as { Dir?: string }).Dir : undefined;
  return downloaded && existsSync(path.join(downloaded, 'schema')) ? downloaded : undefined;
}

/** Finds both binaries and the schemas, building what is missing; throws when Go is not there to build them. */
export async function findOrBuildTemporalServer(log: (msg: string) => void): Promise<TemporalServerBinaries> {
  if (!which('go')) throw new Error('the Temporal cluster needs Go (to build the server and to find its schemas); install Go 1.24 or later');
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const [name, pkg] of Object.entries(BUILDS)) {
    if (!isExecutable(path.join(CACHE_DIR, name))) await goInstall(`${MODULE}/${pkg}`, log);
  }
  const dir = moduleDir();
  if (!dir) throw new Error(`the schemas of ${MODULE}@${TEMPORAL_SERVER_VERSION} are not in Go's module cache`);
  return { server: path.join(CACHE_DIR, 'server'), sql: path.join(CACHE_DIR, 'sql'), moduleDir: dir };
}
