/** How a workflow's transitions take turns, and how its main loop sleeps until there is work. */
import { condition } from '@temporalio/workflow';

export class Scheduling {
  // Transitions run one at a time: an Update handler and a firing timer never interleave their steps.
  private lock: Promise<unknown> = Promise.resolve();
  /** Set whenever something the main loop waits on changes. */
  private dirty = false;

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  wake(): void {
    this.dirty = true;
  }

  /** Sleeps until something happens or the earliest of the given instants comes. */
  async waitForWork(instants: Array<number | undefined>): Promise<void> {
    const at = instants.filter((t): t is number => t !== undefined);
    if (at.length === 0) await condition(() => this.dirty);
    else await condition(() => this.dirty, Math.max(Math.min(...at) - Date.now(), 1));
    this.dirty = false;
  }
}
