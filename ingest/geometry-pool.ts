/**
 * Geometry checks off the event loop: a few worker threads (node:worker_threads) run geometry-check.ts,
 * one feature at a time each, so the API keeps answering (GET /api/health among others) whatever a file
 * holds. Each check has a time limit, counted from the moment a thread takes it: a check still running
 * then is abandoned — its thread is terminated and replaced — and the feature is rejected with that
 * reason. A thread that dies (out of its memory limit) rejects its feature likewise. Idle threads do not
 * keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { MultiPolygon, Polygon } from 'geojson';
import { importLimits } from './limits';
import type { Issue } from './source-types';

interface Task {
  id: number;
  geometry: Polygon | MultiPolygon;
  timeoutMs: number;
  resolve: (issue: Issue | undefined) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

const WORKER_URL = new URL('./geometry-worker.mjs', import.meta.url);
/** A worker's heap: a geometry within the vertex limit needs a few MB; beyond this its feature is rejected. */
const WORKER_HEAP_MB = 256;

export class GeometryPool {
  private readonly queue: Task[] = [];
  private readonly slots = new Set<Slot>();
  private nextId = 1;
  private startFailures = 0;
  private closed = false;

  constructor(private readonly size: number) {}

  /** The geometry's validity issue, or undefined when valid; a check over `timeoutMs` answers `validation_timeout`. */
  check(geometry: Polygon | MultiPolygon, timeoutMs: number): Promise<Issue | undefined> {
    if (this.closed) return Promise.reject(new Error('the geometry pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, geometry, timeoutMs, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the geometry pool is closed'));
    await Promise.all([...this.slots].map((s) => this.retire(s)));
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.ready && !slot.task) this.assign(slot, this.queue.shift()!);
    }
    if (this.queue.length && this.slots.size < this.size) this.spawn();
  }

  private assign(slot: Slot, task: Task) {
    slot.task = task;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.finish(slot, { rule: 'validation_timeout', params: { ms: task.timeoutMs } });
      void this.retire(slot).then(() => this.dispatch());
    }, task.timeoutMs);
    slot.worker.postMessage({ id: task.id, geometry: task.geometry });
  }

  private finish(slot: Slot, issue: Issue | undefined) {
    const task = slot.task;
    if (!task) return;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.timer = undefined;
    slot.worker.unref();
    task.resolve(issue);
  }

  private spawn() {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: false, stderr: false });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.unref();
    worker.on('message', (m: { ready?: boolean; id?: number; issue?: Issue | null; error?: string }) => {
      if (m.ready) {
        slot.ready = true;
        this.startFailures = 0;
        this.dispatch();
        return;
      }
      if (slot.task && m.id === slot.task.id) {
        this.finish(slot, m.error !== undefined ? { rule: 'geometry_check_failed', params: { detail: m.error } } : (m.issue ?? undefined));
        this.dispatch();
      }
    });
    const gone = (err?: Error) => {
      if (!this.slots.delete(slot)) return;
      if (slot.task) this.finish(slot, { rule: 'geometry_check_failed', params: { detail: err?.message ?? 'the check stopped' } });
      else if (!slot.ready && ++this.startFailures >= 3) {
        // The threads cannot start at all: the import fails (and says why) rather than rejecting every feature.
        for (const task of this.queue.splice(0)) task.reject(new Error(`geometry check threads cannot start: ${err?.message ?? 'exited'}`));
      }
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => gone(err));
    worker.on('exit', () => gone());
  }

  private async retire(slot: Slot) {
    this.slots.delete(slot);
    clearTimeout(slot.timer);
    await slot.worker.terminate().catch(() => undefined);
  }
}

let shared: GeometryPool | undefined;

/** The process's pool (IMPORT_VALIDATION_THREADS threads at most, started when first needed). */
export function geometryPool(): GeometryPool {
  shared ??= new GeometryPool(importLimits().validationThreads);
  return shared;
}
