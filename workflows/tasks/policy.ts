/**
 * A region's policy changed (its deadlines, its escalation grace): the due instants of the open tasks are
 * recomputed — an extended task keeps the date it was granted — and the timers re-armed. A patch workflow's
 * signal brings the instants the fan-out computed and recorded already; the workflow takes them when they were
 * computed from its own facts, and recomputes them otherwise.
 */
import { patched } from '@temporalio/workflow';
import type { PolicyDues } from '../../domain/messages';
import type { DeterminationRules } from '../../domain/legality';
import { deadlineActivities } from './activities';
import type { TaskBook } from './book';

type DeadlineRef = { taskId: string; type: string; level?: string; eventAt: string };
interface Recomputed {
  policyVersion: number;
  escalateAfterMs: number;
  dueAt: Record<string, string>;
  rules: DeterminationRules;
}

const sameInstant = (a: string | undefined | null, b: string | undefined | null) => (a ? Date.parse(a) : undefined) === (b ? Date.parse(b) : undefined);

/** The fan-out's instants, if computed from this workflow's own facts for every task to re-arm. */
function duesFor(dues: PolicyDues, subject: TaskBook['subject'], refs: DeadlineRef[]): Recomputed | undefined {
  const s = dues.subject;
  const own =
    s.countyCode === subject.countyCode &&
    s.batchKind === subject.batchKind &&
    sameInstant(s.issuedAt, subject.issuedAt) &&
    sameInstant(s.imagedAt, subject.imagedAt) &&
    refs.every((r) => {
      const d = dues.tasks[r.taskId];
      return d !== undefined && d.type === r.type && (d.level ?? null) === (r.level ?? null) && sameInstant(d.eventAt, r.eventAt);
    });
  if (!own) return undefined;
  const dueAt = Object.fromEntries(refs.map((r) => [r.taskId, dues.tasks[r.taskId].dueAt]));
  return { policyVersion: dues.policyVersion, escalateAfterMs: dues.escalateAfterMs, dueAt, rules: dues.rules };
}

export class PolicyChanges {
  /** A received policy version not applied yet, and the due instants its signal brought. */
  private pendingVersion = 0;
  private pendingDues: PolicyDues | undefined;

  constructor(
    private readonly book: TaskBook,
    private readonly wake: () => void,
  ) {}

  /** A policy change reached this workflow: recompute due instants of open tasks (not extended ones) and re-arm. */
  async apply(version: number, dues?: PolicyDues): Promise<void> {
    const { book } = this;
    const state = book.state;
    const open = book.timedTasks().filter((t) => t.status === 'open');
    const refs = open
      .filter((t) => t.extendedTo === undefined)
      .map((t) => ({ taskId: t.taskId, type: t.type, level: t.level, eventAt: new Date(t.eventAt).toISOString() }));
    if (refs.length === 0) {
      state.policyVersion = Math.max(state.policyVersion, version);
      return;
    }
    // Since 'policy-dues-in-signal': no activity when the fan-out's instants are this workflow's own.
    const given = dues && patched('policy-dues-in-signal') ? duesFor(dues, book.subject, refs) : undefined;
    const res =
      given ??
      (await deadlineActivities().recomputeDeadlines({
        subject: book.subject,
        tasks: refs,
        eventKey: book.nextEventKey(),
        policyVersion: version,
        now: Date.now(),
      }));
    const now = Date.now();
    for (const task of open) {
      task.escalateAfterMs = res.escalateAfterMs;
      if (task.rules) task.rules = res.rules;
      const due = res.dueAt[task.taskId];
      if (!due) continue;
      task.dueAt = Date.parse(due);
      if (task.dueAt > now) {
        task.overdue = false;
        task.escalated = false;
        task.followUpAt = undefined;
      }
    }
    state.policyVersion = Math.max(state.policyVersion, version, res.policyVersion);
  }

  /**
   * A policy version reached this workflow: by the signal, or carried over continue-as-new — a signal that
   * arrives after the last application and before the run continues as new would otherwise be lost.
   */
  receive(version: number | undefined, dues?: PolicyDues): void {
    if (version && version > this.book.state.policyVersion && version > this.pendingVersion) {
      this.pendingVersion = version;
      this.pendingDues = dues;
      this.wake();
    }
  }

  /** The received policy version not applied yet, to carry into the next run. */
  pending(): number | undefined {
    return this.pendingVersion || undefined;
  }

  /** Applies a policy change that a signal brought, if any; returns whether it ran. */
  async applyPending(): Promise<boolean> {
    if (!this.pendingVersion) return false;
    const version = this.pendingVersion;
    const dues = this.pendingDues;
    this.pendingVersion = 0;
    this.pendingDues = undefined;
    await this.apply(version, dues);
    return true;
  }
}
