/**
 * Issuing a patch, the part every issuer shares (the API's single issue, batch import): the patches row, the
 * workflow's input, and starting its workflow with the patch code as workflow id, audited once. Issuing the
 * same patch again starts nothing and answers with the existing process. Below api/ and ingest/, which both
 * import it; the API's own checks (a known, visible county) are in api/services/issue-patch.ts.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { issuedEntry, writeAudit } from '../db/audit';
import type { Db } from '../db/client';
import type { patches } from '../db/schema';
import { cityOf, provinceOf } from '../domain/regions';
import type { PatchInfo } from '../domain/messages';
import type { IssuePatch } from '../domain/schemas/patches';
import type { Actor, BatchKind, PatchCategory, PatchSource } from '../domain/types';
import type { WorkflowActor } from '../workflows/patch/state';

export function patchInfoOf(row: typeof patches.$inferSelect): PatchInfo {
  const info: PatchInfo = {
    code: row.code,
    countyCode: row.countyCode,
    cityCode: row.cityCode,
    provinceCode: row.provinceCode,
    category: row.category as PatchCategory,
    source: row.source as PatchSource,
    batchCode: row.batchCode ?? undefined,
    batchKind: row.batchKind as BatchKind,
    issuedAt: row.issuedAt.toISOString(),
    imagedAt: row.imagedAt?.toISOString(),
    areaMu: row.areaMu,
  };
  // The workflow input is readable by anyone reaching the Temporal server or its Web UI, which are no
  // classified channel (000 二(二); 002 三(三); 004 三(二)): a military patch's input says only "offline"
  // (no military flag, no area; the geometry is never stored or sent), and the offline report follows.
  return row.military ? { ...info, areaMu: 0, offline: true } : info;
}

/** The issuer as the workflow records it (audit rows): who, not what they are permitted. */
export function issuerOf(actor: Actor): WorkflowActor {
  return { userId: actor.userId, displayName: actor.displayName, role: actor.role, regionCode: actor.regionCode };
}

function centroidOf(geometry: IssuePatch['geometry']): [number, number] | null {
  if (!geometry) return null;
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const pts = ring.slice(0, -1);
  const lng = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return [lng, lat];
}

/**
 * The patches row for an issued patch (also used by batch import, which inserts many at once). Military
 * land is reported offline through the classified channel, never over the network (000 二(二); 002 三(三);
 * 004 三(二)): its geometry and centre are not stored, whatever the issuer sent.
 */
export function patchValues(input: IssuePatch, countyCode: string, issuedAt: Date, centroid?: [number, number]): typeof patches.$inferInsert {
  const military = input.military ?? false;
  return {
    code: input.code,
    batchCode: input.batchCode ?? null,
    countyCode,
    cityCode: cityOf(countyCode),
    provinceCode: provinceOf(countyCode),
    category: input.category,
    source: input.source,
    batchKind: input.batchKind,
    areaMu: input.areaMu,
    farmlandMu: input.farmlandMu ?? null,
    geometry: military ? null : (input.geometry ?? null),
    centroid: military ? null : (centroid ?? centroidOf(input.geometry)),
    military,
    issuedAt,
    imagedAt: input.imagedAt ? new Date(input.imagedAt) : null,
    workflowId: input.code,
  };
}

/**
 * Starts the patch's workflow (id = patch code) and audits the issuance once. A process with this id that
 * exists already, running or closed, means the patch was issued before: nothing is started (created: false).
 * Should this audit insert fail (the database gone after the start), the workflow's first activity writes the
 * same row (db/audit.ts issuedEntry), so a retry that finds the workflow started loses nothing.
 */
export async function startPatchProcess(
  deps: { db: Db; temporal: Client; taskQueue: string },
  row: typeof patches.$inferSelect,
  actor: Actor,
): Promise<{ runId?: string; created: boolean }> {
  let runId: string | undefined;
  let created = false;
  try {
    const handle = await deps.temporal.workflow.start('patchWorkflow', {
      workflowId: row.code,
      taskQueue: deps.taskQueue,
      args: [{ patch: patchInfoOf(row), issuedBy: issuerOf(actor) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    runId = handle.firstExecutionRunId;
    created = true;
  } catch (err) {
    // A process with this id exists, running or closed: the patch was issued before.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  if (created) await writeAudit(deps.db, issuedEntry(row, actor, { workflowId: row.code, runId }));
  return { runId, created };
}
