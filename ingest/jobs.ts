/**
 * Import jobs in PostgreSQL: creating one (after the file and the batch were found acceptable, so a
 * refused import leaves nothing behind), the batch it goes into, and the lease that lets one runner at a
 * time work on a job while a dead runner's job can be taken over.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { batches, imports } from '../db/schema';
import { shanghaiDate, startOfShanghaiDay, t10Check } from '../domain/batches';
import { resolveMapping, type ImportOptions } from '../domain/schemas/imports';
import type { Actor, BatchKind } from '../domain/types';
import type { FeatureSource } from './source-types';

export type ImportRow = typeof imports.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;

/** How long a runner's claim on a job lasts without renewal; runners renew every LEASE_RENEW_MS. */
export const LEASE_MS = 30_000;
export const LEASE_RENEW_MS = 5_000;

/** The batch exists with other particulars than the import names (a 409, naming the field). */
export class BatchConflictError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Another runner holds the job's lease. */
export class LeaseHeldError extends Error {
  constructor(
    readonly owner: string,
    readonly until: Date,
  ) {
    super(`导入任务正由 ${owner} 执行（租约至 ${until.toISOString()}）`);
  }
}

export const newRunnerId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

const SOURCE_LABEL = { ministry: '部下发', province: '省下发' } as const;

/** Creates the batch, or checks that the existing one is the same batch (source and kind kept apart). */
export async function ensureBatch(db: DbOrTx, o: ImportOptions, now = new Date()): Promise<BatchRow> {
  const existing = await checkBatch(db, o);
  if (existing) return existing;
  return createBatch(db, o, now);
}

/** The batch when it exists, after checking that it is the same batch (else a BatchConflictError). */
export async function checkBatch(db: DbOrTx, o: ImportOptions): Promise<BatchRow | undefined> {
  const [existing] = await db.select().from(batches).where(eq(batches.code, o.batchCode));
  if (existing) {
    if (existing.source !== o.source) {
      throw new BatchConflictError(
        `批次 ${o.batchCode} 已登记为${SOURCE_LABEL[existing.source as 'ministry']}批次，部、省两级图斑分开下发，不能混入`,
        `batch ${o.batchCode} is registered as a ${existing.source} batch; ministry and province patches are kept apart`,
        'source',
      );
    }
    if (existing.kind !== o.kind) {
      throw new BatchConflictError(
        `批次 ${o.batchCode} 已登记为 ${existing.kind} 类批次`,
        `batch ${o.batchCode} is registered as a ${existing.kind} batch`,
        'kind',
      );
    }
    if (o.issuedOn && shanghaiDate(existing.issuedAt) !== o.issuedOn) {
      throw new BatchConflictError(
        `批次 ${o.batchCode} 的下发日期已登记为 ${shanghaiDate(existing.issuedAt)}`,
        `batch ${o.batchCode} was issued on ${shanghaiDate(existing.issuedAt)}`,
        'issuedOn',
      );
    }
    if (o.imagedOn && existing.imagedAt && shanghaiDate(existing.imagedAt) !== o.imagedOn) {
      throw new BatchConflictError(
        `批次 ${o.batchCode} 的成像日期已登记为 ${shanghaiDate(existing.imagedAt)}`,
        `batch ${o.batchCode} was imaged on ${shanghaiDate(existing.imagedAt)}`,
        'imagedOn',
      );
    }
  }
  return existing;
}

async function createBatch(db: DbOrTx, o: ImportOptions, now: Date): Promise<BatchRow> {
  const issuedOn = o.issuedOn ?? shanghaiDate(now);
  const t10 = o.imagedOn ? t10Check(o.imagedOn, issuedOn, o.kind) : undefined;
  await db
    .insert(batches)
    .values({
      code: o.batchCode,
      name: o.batchName ?? o.batchCode,
      source: o.source,
      kind: o.kind,
      imagedAt: o.imagedOn ? startOfShanghaiDay(o.imagedOn) : null,
      issuedAt: o.issuedOn ? startOfShanghaiDay(o.issuedOn) : now,
      t10LateDays: t10?.lateDays ?? null,
      t10Late: t10?.late ?? false,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(batches).where(eq(batches.code, o.batchCode));
  return row;
}

/** Once the file is read: the batch's imaging date, when none was given, is the latest after-image date. */
export async function completeBatchDates(db: Db, batchCode: string, latestImagedOn: string | null): Promise<void> {
  const [batch] = await db.select().from(batches).where(eq(batches.code, batchCode));
  if (!batch || batch.imagedAt || !latestImagedOn) return;
  const t10 = t10Check(latestImagedOn, shanghaiDate(batch.issuedAt), batch.kind as BatchKind);
  await db
    .update(batches)
    .set({ imagedAt: startOfShanghaiDay(latestImagedOn), t10LateDays: t10.lateDays, t10Late: t10.late })
    .where(and(eq(batches.code, batchCode), sql`${batches.imagedAt} is null`));
}

export interface NewImport {
  filePath: string;
  fileName: string;
  fileHash: string;
  options: ImportOptions;
  actor: Actor;
  origin: 'api' | 'cli';
}

/**
 * The job for this batch and file: created now, or the one that exists (same batch, same bytes), which
 * is then resumed rather than started again.
 */
export async function createImport(db: Db, source: FeatureSource, input: NewImport): Promise<{ job: ImportRow; created: boolean }> {
  // The batch is only checked here; it is created with the first feature that goes in (importer.ts).
  await checkBatch(db, input.options);
  const id = `IMP${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`;
  const inserted = await db
    .insert(imports)
    .values({
      id,
      batchCode: input.options.batchCode,
      fileName: input.fileName,
      fileHash: input.fileHash,
      filePath: input.filePath,
      format: source.format,
      crs: source.crs.name,
      mapping: resolveMapping(input.options),
      actor: input.actor,
      regionCode: input.actor.regionCode,
      origin: input.origin,
      total: source.total,
      batch: { ...input.options, issuedAt: new Date().toISOString() },
    })
    .onConflictDoNothing({ target: [imports.batchCode, imports.fileHash] })
    .returning();
  if (inserted[0]) return { job: inserted[0], created: true };
  const [job] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.batchCode, input.options.batchCode), eq(imports.fileHash, input.fileHash)));
  return { job, created: false };
}

export async function findImport(db: Db, id: string): Promise<ImportRow | undefined> {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row;
}

/** Claims the job for `owner` (or renews its claim). Throws LeaseHeldError while another live runner holds it. */
export async function claimLease(db: Db, id: string, owner: string, opts: { takeOver?: boolean } = {}): Promise<ImportRow> {
  const free = opts.takeOver ? sql`true` : sql`(${imports.leaseUntil} is null or ${imports.leaseUntil} < now() or ${imports.leaseOwner} = ${owner})`;
  const [row] = await db
    .update(imports)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval`, updatedAt: sql`now()` })
    .where(and(eq(imports.id, id), free))
    .returning();
  if (row) return row;
  const job = await findImport(db, id);
  if (!job) throw new Error(`import ${id} does not exist`);
  throw new LeaseHeldError(job.leaseOwner ?? '?', job.leaseUntil ?? new Date());
}

/** Renews the claim; false when it was lost (taken over), in which case the runner must stop. */
export async function renewLease(db: Db, id: string, owner: string): Promise<boolean> {
  const rows = await db
    .update(imports)
    .set({ leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
    .where(and(eq(imports.id, id), eq(imports.leaseOwner, owner)))
    .returning({ id: imports.id });
  return rows.length > 0;
}

export async function releaseLease(db: Db, id: string, owner: string, set: Partial<ImportRow>): Promise<ImportRow | undefined> {
  const [row] = await db
    .update(imports)
    .set({ ...set, leaseOwner: null, leaseUntil: null, updatedAt: sql`now()` })
    .where(and(eq(imports.id, id), eq(imports.leaseOwner, owner)))
    .returning();
  return row;
}
