/**
 * Finds the Temporal CLI (which contains the dev server), building it with Go when it is missing.
 * Order: $TEMPORAL_CLI, `temporal` on PATH, .tools/temporal, the user cache, Go's own bin dir; otherwise
 * `go install …@v1.5.1` into the user cache (later tags carry a `replace` directive that `go install`
 * refuses). Returns undefined when none can be had, so the caller falls back to the SDK's download.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { commandOutput, isExecutable, PROJECT_TOOLS_DIR, USER_CACHE_DIR, which } from './tool-cache';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const CLI_CACHE_DIR = path.join(USER_CACHE_DIR, 'temporal-cli-v1.5.1');

export function findTemporalCli(): string | undefined {
  const candidates = [process.env.TEMPORAL_CLI, which('temporal'), path.join(PROJECT_TOOLS_DIR, 'temporal'), path.join(CLI_CACHE_DIR, 'temporal')];
  const gopath = which('go') ? commandOutput('go', ['env', 'GOPATH']) : undefined;
  if (gopath) candidates.push(path.join(gopath.split(path.delimiter)[0], 'bin', 'temporal'));
  return candidates.find((c): c is string => !!c && isExecutable(c));
}

export async function buildTemporalCli(log: (msg: string) => void): Promise<string | undefined> {
  if (!which('go')) return undefined;
  mkdirSync(CLI_CACHE_DIR, { recursive: true });
  log(`building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}); the first build takes a few minutes…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: CLI_CACHE_DIR },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`))));
  });
  const built = path.join(CLI_CACHE_DIR, 'temporal');
  return isExecutable(built) ? built : undefined;
}

export async function findOrBuildTemporalCli(log: (msg: string) => void): Promise<string | undefined> {
  return (
    findTemporalCli() ??
    (await buildTemporalCli(log).catch((err) => {
      log(`could not build the Temporal CLI: ${(err as Error).message}`);
      return undefined;
    }))
  );
}
