/**
 * Runs import jobs created through the API in the API process, in the background, one runner per job.
 * On start it resumes the API's jobs that were cut short (a stopped or crashed API), and it keeps looking
 * for such jobs whose runner's lease expired. A job interrupted by a database or Temporal outage is resumed by
 * its runner once they answer again. Stopping aborts the running jobs between workflow starts;
 * they are resumed by the next start.
 */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { imports } from '../../db/schema';
import type { ImportDeps } from '../../ingest/importer';
import { runImportResuming } from '../../ingest/resume';
import { unavailable } from '../../infra/unavailable';
import { LEASE_MS, LeaseHeldError, newRunnerId } from '../../ingest/jobs';

export class ImportRunner {
  readonly owner = newRunnerId();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: ImportDeps & { db: Db; log?: (msg: string, err?: unknown) => void }) {}

  /** Starts (or resumes) the job in the background unless this process runs it already. */
  run(id: string): void {
    if (this.stopped || this.running.has(id)) return;
    const controller = new AbortController();
    // A database or Temporal outage interrupts the job: it waits and resumes here, with backoff (ingest/resume.ts).
    const done = runImportResuming(this.deps, id, {
      owner: this.owner,
      signal: controller.signal,
      onInterruption: (err, delayMs) => this.deps.log?.(`import ${id} interrupted (${unavailable(err)?.messageEn}); resuming in ${delayMs} ms`),
    })
      .then(() => undefined)
      .catch((err) => {
        if (!(err instanceof LeaseHeldError)) this.deps.log?.(`import ${id} failed`, err);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, { controller, done });
  }

  /** Resumes the API's unfinished jobs that no live runner holds. */
  async resumeOrphans(): Promise<void> {
    const rows = await this.deps.db
      .select({ id: imports.id })
      .from(imports)
      .where(
        and(
          eq(imports.origin, 'api'),
          inArray(imports.status, ['pending', 'running', 'interrupted']),
          or(isNull(imports.leaseUntil), lt(imports.leaseUntil, sql`now()`)),
        ),
      );
    for (const r of rows) this.run(r.id);
  }

  start(): void {
    void this.resumeOrphans().catch((err) => this.deps.log?.('resuming imports failed', err));
    this.timer = setInterval(() => void this.resumeOrphans().catch(() => undefined), LEASE_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Waits for a job this process runs (tests). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }
}
