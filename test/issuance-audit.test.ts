/**
 * The `patch.issued` audit row is written by whatever makes the patch exist, once: an issuer that started
 * the workflow and then could not write its row (PostgreSQL gone, a crash) loses nothing, because the
 * workflow's first activity writes the same row (same key) with its first task; a retry that finds the
 * workflow started writes nothing more.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchInfoOf, patchValues, startPatchProcess } from '../services/issue-patch';
import { patches, users } from '../db/schema';
import type { Actor, BatchKind, PatchCategory, PatchSource } from '../domain/types';
import { patchBody } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const issuedRows = (code: string) =>
  sys.sql`select actor_name, run_id, workflow_id, after from audit_log where patch_code = ${code} and action = 'patch.issued'`;

async function issuer(): Promise<Actor> {
  const [u] = await sys.database.db.select().from(users).where(eq(users.username, 'admin'));
  return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role as Actor['role'], regionCode: u.regionCode, classified: u.classified };
}

describe('the patch.issued audit row', () => {
  it('is written by the workflow when the issuer stopped between the start and its audit insert, and only once', async () => {
    const actor = await issuer();
    const body = patchBody(sys);
    const input = {
      ...body,
      category: body.category as PatchCategory,
      source: body.source as PatchSource,
      batchKind: body.batchKind as BatchKind,
      geometry: body.geometry as never,
      military: false,
    };
    const [row] = await sys.database.db
      .insert(patches)
      .values(patchValues(input, body.countyCode, new Date()))
      .returning();
    // What the issuer did before it was cut off: the workflow started, no audit row written.
    const handle = await sys.temporal.workflow.start('patchWorkflow', {
      workflowId: row.code,
      taskQueue: sys.taskQueue,
      args: [{ patch: patchInfoOf(row), issuedBy: actor }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });

    const rows = await eventually(async () => {
      const r = await issuedRows(row.code);
      return r.length ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_name: actor.displayName, workflow_id: row.code, run_id: handle.firstExecutionRunId });
    expect(rows[0].after).toEqual({ countyCode: body.countyCode, category: body.category, batchCode: null, issuedAt: row.issuedAt.toISOString() });

    // The issuer's retry finds the workflow started: nothing is started, and there is still one row.
    const again = await startPatchProcess({ db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue }, row, actor);
    expect(again.created).toBe(false);
    expect(await issuedRows(row.code)).toHaveLength(1);
  });

  it('is one row when both the issuer and the workflow write it', async () => {
    const admin = await sys.login('admin');
    const body = patchBody(sys);
    const res = await sys.http('POST', '/api/patches', { token: admin, body });
    expect(res.status).toBe(201);
    // The first task is open, so the first activity has run (and written its row, or found the issuer's).
    await eventually(async () => (await sys.sql`select 1 from tasks where patch_code = ${body.code} and status = 'open'`).length === 1);
    const rows = await issuedRows(body.code);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workflow_id: body.code, run_id: res.body.runId });
  });
});
