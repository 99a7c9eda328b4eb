/**
 * An import that meets an interruption — PostgreSQL or Temporal unavailable for a while (infra/unavailable.ts)
 * — waits and resumes by itself, with backoff, instead of ending `failed` and needing the file posted again.
 * Resuming is safe: outcomes are recorded before any workflow starts and a start that did happen is answered
 * "already started" (ingest/importer.ts), so nothing is started twice. Any other error still fails the job.
 */
import { isTransient } from '../infra/unavailable';
import { runImport, type ImportDeps, type RunOptions } from './importer';
import type { ImportRow } from './jobs';

export interface ResumeOptions extends RunOptions {
  /** First wait after an interruption; doubled after each one in a row, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told of each interruption and how long the runner waits before resuming. */
  onInterruption?: (err: unknown, delayMs: number, attempt: number) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Runs the job to its end (or until aborted), resuming after every transient interruption. */
export async function runImportResuming(deps: ImportDeps, importId: string, opts: ResumeOptions): Promise<ImportRow | undefined> {
  const initial = opts.initialDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runImport(deps, importId, opts);
    } catch (err) {
      if (!isTransient(err) || opts.signal?.aborted) throw err;
      const delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 10));
      opts.onInterruption?.(err, delay, attempt);
      await sleep(delay, opts.signal);
      if (opts.signal?.aborted) return undefined;
    }
  }
}
