/**
 * A region's policy changed (its deadlines, its escalation grace): the due instants of the open tasks are
 * recomputed — an extended task keeps the date it was granted — and the timers re-armed.
 */
import { deadlineActivities } from './activities';
import type { TaskBook } from './book';

export class PolicyChanges {
  /** A received policy version not applied yet. */
  private pendingVersion = 0;

  constructor(
    private readonly book: TaskBook,
    private readonly wake: () => void,
  ) {}

  /** A policy change reached this workflow: recompute due instants of open tasks (not extended ones) and re-arm. */
  async apply(version: number): Promise<void> {
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
    const res = await deadlineActivities().recomputeDeadlines({
      subject: book.subject,
      tasks: refs,
      eventKey: book.nextEventKey(),
      policyVersion: version,
      now: Date.now(),
    });
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
  receive(version: number | undefined): void {
    if (version && version > this.book.state.policyVersion && version > this.pendingVersion) {
      this.pendingVersion = version;
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
    this.pendingVersion = 0;
    await this.apply(version);
    return true;
  }
}
