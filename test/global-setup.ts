/**
 * Starts the real servers once for the whole run: embedded PostgreSQL (a template database with the
 * migrations and reference data applied, copied per test file), the Temporal dev server, and the
 * workflow bundle. Time-skipping servers are started per file by the files that need them.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { startDevServer } from '../infra/temporal-dev-server';
import { startEmbeddedPostgres } from '../infra/postgres';
import { findOrFetchTimeSkippingServer } from '../infra/time-skipping-server';
import { buildAdminUiIfStale } from '../scripts/build-ui';
import { seedReferenceData } from '../scripts/demo/seed';
import { WORKFLOWS_PATH } from '../worker/create';
import { freePort } from './support/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
    temporalAddress: string;
    workflowBundlePath: string;
    timeSkippingServerPath: string;
  }
}

export default async function setup(project: TestProject) {
  const log = (m: string) => console.log(`[setup] ${m}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-test-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const started = Date.now();

  const results = await Promise.allSettled([
    (async () => {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false, log });
      try {
        const templateUrl = await pg.createDatabase('wpzf_template');
        const database = connectDatabase(templateUrl, { max: 2 });
        await applyMigrations(database.db);
        await seedReferenceData(database.db);
        await database.close();
        return pg;
      } catch (err) {
        await pg.stop();
        throw err;
      }
    })(),
    startDevServer({ port: await freePort(), log }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
    // Once, before any browser test: files running side by side would otherwise rebuild it under each other.
    buildAdminUiIfStale(log),
  ] as const);
  const [pgResult, temporalResult, bundleResult] = results;
  if (results.some((r) => r.status === 'rejected')) {
    // Stop what did start, so that a failed setup leaves no servers behind.
    if (pgResult.status === 'fulfilled') await pgResult.value.stop().catch(() => undefined);
    if (temporalResult.status === 'fulfilled') await temporalResult.value.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
    throw results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
  }
  const pg = (pgResult as PromiseFulfilledResult<Awaited<ReturnType<typeof startEmbeddedPostgres>>>).value;
  const temporal = (temporalResult as PromiseFulfilledResult<Awaited<ReturnType<typeof startDevServer>>>).value;
  const bundle = (bundleResult as PromiseFulfilledResult<{ code: string }>).value;
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const timeSkipping = findOrFetchTimeSkippingServer(log) ?? '';
  log(`servers ready in ${Date.now() - started} ms (PostgreSQL, Temporal dev server at ${temporal.address})`);

  project.provide('pgServerUrl', pg.serverUrl);
  project.provide('templateDatabase', 'wpzf_template');
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('timeSkippingServerPath', timeSkipping);

  return async () => {
    await temporal.stop().catch(() => undefined);
    await pg.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
}
