/**
 * Runs an import job: reads the file a chunk at a time from the job's cursor, decides each feature
 * (validation, then uniqueness of its code against this file and other batches), records the patches and
 * the per-feature outcomes in one transaction, starts the accepted patches' workflows with bounded
 * concurrency, then marks them and moves the cursor.
 *
 * Resuming never starts anything twice: outcomes are recorded before any start, so a chunk that was cut
 * short is found decided on the next run and only its unstarted patches are started; a start that did
 * happen is answered "already started" by Temporal (the patch code is the workflow id) and counted as this
 * import's own when this import created the patch row.
 */
import type { Client } from '@temporalio/client';
import { and, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { batches, importFeatures, imports, patches, regions } from '../db/schema';
import type { AttributeMapping } from '../domain/attribute-mapping';
import { shanghaiDate, startOfShanghaiDay, t10Check } from '../domain/batches';
import type { ImportOptions } from '../domain/schemas/imports';
import type { IssuePatch } from '../domain/schemas/patches';
import type { Actor, BatchKind, PatchSource } from '../domain/types';
import { patchValues, startPatchProcess } from '../services/issue-patch';
import { unavailable } from '../infra/unavailable';
import { claimLease, completeBatchDates, ensureBatch, findImport, LEASE_RENEW_MS, releaseLease, renewLease, type BatchRow, type ImportRow } from './jobs';
import { pool } from './pool';
import { openSource } from './source';
import type { Issue, RawFeature } from './source-types';
import { geometryPool } from './geometry-pool';
import { importLimits } from './limits';
import { databaseCause, isDataError, storable, storableText } from './storable';
import { decideFeature, type FeatureDecision, type ValidationContext } from './validate';

export interface ImportDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface RunOptions {
  /** Who runs (lease owner). */
  owner: string;
  /** Features read, decided and recorded at a time. */
  chunkSize?: number;
  /** Workflow starts in flight at most. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Take the job over even when another runner's lease has not expired (that runner is known dead). */
  takeOver?: boolean;
  onProgress?: (job: ImportRow) => void;
  /** For tests: stop like a crash after this many workflow starts (the cut chunk is left unmarked). */
  stopAfterStarts?: number;
}

export const DEFAULT_CHUNK_SIZE = 250;
export const DEFAULT_CONCURRENCY = 32;

type FeatureRow = typeof importFeatures.$inferInsert;

interface RunState {
  job: ImportRow;
  batch: BatchRow;
  ctx: ValidationContext;
  issuedOn: string;
  starts: number;
  stopped: boolean;
}

/** Runs (or resumes) the job to its end, or until aborted; answers the job as it then stands. */
export async function runImport(deps: ImportDeps, importId: string, opts: RunOptions): Promise<ImportRow> {
  const { db } = deps;
  let job = await claimLease(db, importId, opts.owner, { takeOver: opts.takeOver });
  if (job.status === 'completed') {
    return (await releaseLease(db, importId, opts.owner, {})) ?? job;
  }
  let leaseLost = false;
  const renewal = setInterval(() => {
    renewLease(db, importId, opts.owner)
      .then((ok) => {
        if (!ok) leaseLost = true;
      })
      .catch(() => undefined);
  }, LEASE_RENEW_MS);
  renewal.unref();
  try {
    [job] = await db.update(imports).set({ status: 'running', error: null, updatedAt: sql`now()` }).where(eq(imports.id, importId)).returning();
    const source = await openSource(job.filePath);
    if (source.total !== job.total) throw new Error(`the file changed: ${source.total} features, the job expected ${job.total}`);
    const batch = await batchOf(db, job);
    const regionRows = await db.select({ code: regions.code, level: regions.level }).from(regions);
    const state: RunState = {
      job,
      batch,
      ctx: { mapping: job.mapping as AttributeMapping, crs: source.crs, regions: new Map(regionRows.map((r) => [r.code, r])), actor: job.actor as Actor },
      issuedOn: shanghaiDate(batch.issuedAt),
      starts: 0,
      stopped: false,
    };
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    // Two chunks in flight: the next one is read, decided and recorded while the workflows of the one before
    // are being started (a chunk's outcomes are recorded before any of its starts, as ever, and the cursor
    // moves in order, so a cut run resumes as before: bench:import). Stopped or failed, nothing more starts.
    let starting: { done: Promise<boolean>; cursor: number } | undefined;
    const settle = async (): Promise<boolean> => {
      if (!starting) return true;
      const { done, cursor } = starting;
      starting = undefined;
      if (!(await done)) return false;
      job = await advance(db, state.job, cursor);
      state.job = job;
      opts.onProgress?.(job);
      return true;
    };
    try {
      for await (const chunk of source.chunks(job.cursor, chunkSize)) {
        if (opts.signal?.aborted || leaseLost || state.stopped) break;
        const toStart = await recordChunk(deps, state, chunk);
        if (!(await settle())) break;
        if (opts.signal?.aborted || leaseLost) break;
        const done = startChunk(deps, state, toStart, opts);
        done.catch(() => undefined); // awaited by settle(); a failure meanwhile must not go unhandled
        starting = { done, cursor: chunk[chunk.length - 1].seq + 1 };
      }
      await settle();
    } finally {
      // A failure while the next chunk was being recorded: the starts in flight end before the lease is released.
      if (starting) await starting.done.catch(() => undefined);
    }
    if (leaseLost) throw new Error('the lease on this import was taken over by another runner');
    if (job.cursor >= job.total) {
      await completeBatchDates(db, job.batchCode, job.latestImagedOn);
      return (await releaseLease(db, importId, opts.owner, { status: 'completed', finishedAt: new Date() })) ?? job;
    }
    return (await releaseLease(db, importId, opts.owner, { status: 'interrupted' })) ?? job;
  } catch (err) {
    // A database or Temporal outage interrupts the job (its runner resumes it, ingest/resume.ts); anything else fails it.
    const down = unavailable(err);
    const error = down ? down.message : storableText(databaseCause(err).message ?? String(err)).slice(0, 4000);
    await releaseLease(db, importId, opts.owner, { status: down ? 'interrupted' : 'failed', error }).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(renewal);
  }
}

/** Moves the cursor past a finished chunk and recounts the outcomes (idempotent). */
async function advance(db: Db, job: ImportRow, cursor: number): Promise<ImportRow> {
  const [counts] = await db
    .select({
      accepted: sql<number>`count(*) filter (where ${importFeatures.status} <> 'rejected')::int`,
      started: sql<number>`count(*) filter (where ${importFeatures.status} = 'started')::int`,
      existing: sql<number>`count(*) filter (where ${importFeatures.status} = 'existing')::int`,
      rejected: sql<number>`count(*) filter (where ${importFeatures.status} = 'rejected')::int`,
      warned: sql<number>`count(*) filter (where ${importFeatures.warnings} is not null)::int`,
      military: sql<number>`count(*) filter (where ${importFeatures.military} and ${importFeatures.status} <> 'rejected')::int`,
      latestImagedOn: sql<string | null>`max(${importFeatures.imagedOn}) filter (where ${importFeatures.status} <> 'rejected')`,
    })
    .from(importFeatures)
    .where(eq(importFeatures.importId, job.id));
  const [row] = await db
    .update(imports)
    .set({ cursor, ...counts, updatedAt: sql`now()` })
    .where(eq(imports.id, job.id))
    .returning();
  return row;
}

type ToStart = { seq: number; code: string; created: boolean | null }[];

/** Decides and records one chunk (what was recorded before, on an earlier run, is not decided again); answers the patches to start. */
async function recordChunk(deps: ImportDeps, state: RunState, chunk: RawFeature[]): Promise<ToStart> {
  const { db } = deps;
  const { job } = state;
  const first = chunk[0].seq;
  const last = chunk[chunk.length - 1].seq;
  const recorded = await db
    .select()
    .from(importFeatures)
    .where(and(eq(importFeatures.importId, job.id), gte(importFeatures.seq, first), lte(importFeatures.seq, last)));
  const recordedSeqs = new Set(recorded.map((r) => r.seq));
  // Geometries are checked off the event loop, a few at a time, each within the time limit; what is
  // left on this thread per feature is linear in its vertices, which are capped.
  const limits = importLimits();
  const ctx: ValidationContext = { ...state.ctx, maxVertices: limits.maxVertices };
  const undecided = chunk.filter((f) => !recordedSeqs.has(f.seq));
  const decisions: FeatureDecision[] = new Array(undecided.length);
  await pool(
    undecided.map((f, i) => ({ f, i })),
    limits.validationThreads + 1,
    async ({ f, i }) => {
      decisions[i] = await decideFeature(f, ctx, geometryPool(), limits.validationTimeoutMs);
    },
  );
  await checkUniqueness(db, state, decisions, first, recorded);

  if (decisions.length) {
    try {
      await recordDecisions(db, state, decisions);
    } catch (err) {
      if (!isDataError(err)) throw err;
      // A value the database refuses fails every retry alike: the chunk is recorded again one feature at a
      // time, and the feature that cannot be stored is rejected with the reason while the rest go on.
      for (const d of decisions) {
        try {
          await recordDecisions(db, state, [d]);
        } catch (one) {
          if (!isDataError(one)) throw one;
          await db
            .insert(importFeatures)
            .values({
              importId: job.id,
              seq: d.seq,
              status: 'rejected',
              military: d.military,
              reasons: storable([{ rule: 'unstorable', params: { detail: databaseCause(one).message } }]),
            })
            .onConflictDoNothing();
        }
      }
    }
  }

  const toStart = [
    ...recorded.filter((r) => r.status === 'accepted').map((r) => ({ seq: r.seq, code: r.patchCode!, created: r.created })),
    ...(
      await db
        .select({ seq: importFeatures.seq, code: importFeatures.patchCode, created: importFeatures.created })
        .from(importFeatures)
        .where(
          and(
            eq(importFeatures.importId, job.id),
            inArray(
              importFeatures.seq,
              decisions.filter((d) => d.patch).map((d) => d.seq),
            ),
            eq(importFeatures.status, 'accepted'),
          ),
        )
    ).map((r) => ({ seq: r.seq, code: r.code!, created: r.created })),
  ];
  return toStart;
}

/** Starts the chunk's accepted patches and marks them. False when stopped before they were all started. */
async function startChunk(deps: ImportDeps, state: RunState, toStart: ToStart, opts: RunOptions): Promise<boolean> {
  const { db } = deps;
  const { job } = state;
  if (toStart.length === 0) return true;
  const rows = await db
    .select()
    .from(patches)
    .where(
      inArray(
        patches.code,
        toStart.map((s) => s.code),
      ),
    );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const started: number[] = [];
  const existing: number[] = [];
  const actor = state.ctx.actor;
  await pool(toStart, opts.concurrency ?? DEFAULT_CONCURRENCY, async (item) => {
    if (state.stopped || opts.signal?.aborted) return;
    const row = byCode.get(item.code);
    if (!row) throw new Error(`patch ${item.code} vanished`);
    const { created } = await startPatchProcess(deps, row, actor);
    // "Already started" for a patch this import created: our own start, made before an interruption.
    (created || item.created ? started : existing).push(item.seq);
    state.starts++;
    if (opts.stopAfterStarts !== undefined && state.starts >= opts.stopAfterStarts) state.stopped = true;
  });
  if (state.stopped || opts.signal?.aborted) return false;
  await db.transaction(async (tx) => {
    if (started.length)
      await tx
        .update(importFeatures)
        .set({ status: 'started' })
        .where(and(eq(importFeatures.importId, job.id), inArray(importFeatures.seq, started)));
    if (existing.length)
      await tx
        .update(importFeatures)
        .set({ status: 'existing' })
        .where(and(eq(importFeatures.importId, job.id), inArray(importFeatures.seq, existing)));
  });
  return true;
}

type PendingBatch = ImportOptions & { issuedAt: string };

/**
 * The job's batch: the row when it exists, else the row its first accepted feature will create (from the
 * particulars the import named), so that the features are decided against the same dates.
 */
async function batchOf(db: Db, job: ImportRow): Promise<BatchRow> {
  const [row] = await db.select().from(batches).where(eq(batches.code, job.batchCode));
  if (row) return row;
  const pending = job.batch as PendingBatch | null;
  if (!pending) throw new Error(`batch ${job.batchCode} does not exist`);
  const issuedAt = pending.issuedOn ? startOfShanghaiDay(pending.issuedOn) : new Date(pending.issuedAt);
  const t10 = pending.imagedOn ? t10Check(pending.imagedOn, shanghaiDate(issuedAt), pending.kind) : undefined;
  return {
    code: pending.batchCode,
    name: pending.batchName ?? pending.batchCode,
    source: pending.source,
    kind: pending.kind,
    imagedAt: pending.imagedOn ? startOfShanghaiDay(pending.imagedOn) : null,
    issuedAt,
    t10LateDays: t10?.lateDays ?? null,
    t10Late: t10?.late ?? false,
    createdAt: new Date(),
  };
}

/** Records the decided features, and the accepted ones' patches, in one transaction. */
async function recordDecisions(db: Db, state: RunState, decisions: FeatureDecision[]) {
  await db.transaction(async (tx) => {
    const accepted = decisions.filter((d) => d.patch);
    const created = new Set<string>();
    if (accepted.length) {
      // The batch comes into being with its first patch (a file without a valid feature creates none).
      const pending = state.job.batch as PendingBatch | null;
      if (pending) state.batch = await ensureBatch(tx, pending, new Date(pending.issuedAt));
      const rows = await tx
        .insert(patches)
        .values(accepted.map((d) => patchRow(state, d)))
        .onConflictDoNothing({ target: patches.code })
        .returning({ code: patches.code });
      for (const r of rows) created.add(r.code);
    }
    await tx
      .insert(importFeatures)
      .values(decisions.map((d): FeatureRow => featureRow(state.job.id, d, created)))
      .onConflictDoNothing();
  });
}

/**
 * A code must be unique within the file and must not belong to a patch of another batch. A patch of the
 * same batch with the same code (an earlier import of this batch) is the same patch: it is not started
 * again, and listed with a warning; with another county or category it is refused.
 */
async function checkUniqueness(db: Db, state: RunState, decisions: FeatureDecision[], first: number, recorded: Array<typeof importFeatures.$inferSelect>) {
  const withCode = decisions.filter((d) => d.patch);
  if (!withCode.length) return;
  const codes = [...new Set(withCode.map((d) => d.patch!.code))];
  const seen = new Map<string, number>();
  for (const r of recorded) if (r.patchCode && r.status !== 'rejected') seen.set(r.patchCode, Math.min(seen.get(r.patchCode) ?? r.seq, r.seq));
  const earlier = await db
    .select({ code: importFeatures.patchCode, seq: sql<number>`min(${importFeatures.seq})::int` })
    .from(importFeatures)
    .where(
      and(
        eq(importFeatures.importId, state.job.id),
        inArray(importFeatures.patchCode, codes),
        lt(importFeatures.seq, first),
        sql`${importFeatures.status} <> 'rejected'`,
      ),
    )
    .groupBy(importFeatures.patchCode);
  for (const e of earlier) if (e.code) seen.set(e.code, Math.min(seen.get(e.code) ?? e.seq, e.seq));
  const existing = await db
    .select({ code: patches.code, batchCode: patches.batchCode, countyCode: patches.countyCode, category: patches.category })
    .from(patches)
    .where(inArray(patches.code, codes));
  const existingByCode = new Map(existing.map((e) => [e.code, e]));
  for (const d of withCode.sort((a, b) => a.seq - b.seq)) {
    const code = d.patch!.code;
    const firstSeq = seen.get(code);
    const other = existingByCode.get(code);
    const reason: Issue | undefined =
      firstSeq !== undefined && firstSeq < d.seq
        ? { rule: 'duplicate_in_file', params: { code, firstSeq } }
        : other && other.batchCode !== state.job.batchCode
          ? { rule: 'duplicate_other_batch', params: { code, batchCode: other.batchCode ?? '（无批次）' } }
          : other && (other.countyCode !== d.patch!.countyCode || other.category !== d.patch!.category)
            ? { rule: 'duplicate_differs', params: { code, countyCode: other.countyCode, category: other.category } }
            : undefined;
    if (reason) {
      d.reasons.push(reason);
      d.patch = undefined;
      continue;
    }
    seen.set(code, d.seq);
    if (other) d.warnings.push({ rule: 'already_issued', params: { code } });
    if (d.imagedOn && d.imagedOn > state.issuedOn) d.warnings.push({ rule: 'imaged_after_issue', params: { imagedOn: d.imagedOn, issuedOn: state.issuedOn } });
  }
}

function patchRow(state: RunState, d: FeatureDecision) {
  const p = d.patch!;
  const { batch } = state;
  const imagedOn = p.imagedOn ?? (batch.imagedAt ? shanghaiDate(batch.imagedAt) : undefined);
  return patchValues(
    {
      code: p.code,
      countyCode: p.countyCode,
      category: p.category,
      source: batch.source as PatchSource,
      batchCode: batch.code,
      batchKind: batch.kind as BatchKind,
      areaMu: p.areaMu,
      farmlandMu: p.farmlandMu,
      geometry: p.geometry as IssuePatch['geometry'],
      military: p.military,
      imagedAt: imagedOn ? startOfShanghaiDay(imagedOn).toISOString() : undefined,
    },
    p.countyCode,
    batch.issuedAt,
    p.centroid,
  );
}

function featureRow(importId: string, d: FeatureDecision, created: Set<string>): FeatureRow {
  return {
    importId,
    seq: d.seq,
    patchCode: d.patch?.code ?? (d.code === undefined ? null : storable(d.code)),
    status: d.patch ? 'accepted' : 'rejected',
    created: d.patch ? created.has(d.patch.code) : false,
    military: d.military,
    countyCode: d.countyCode ?? null,
    declaredMu: d.declaredMu ?? null,
    computedMu: d.computedMu ?? null,
    imagedOn: d.imagedOn ?? null,
    // A rejected feature's findings quote its values (a code with a NUL in it, say): stored as storable text.
    reasons: d.reasons.length ? storable(d.reasons) : null,
    warnings: d.warnings.length ? storable(d.warnings) : null,
  };
}

export { findImport };
