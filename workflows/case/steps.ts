/**
 * The steps every stage of a case uses: opening and closing its tasks (with the case's stage in the read
 * model), reporting the case's state to its patches, the quota bookings, and the end of the process —
 * elimination of the illegal state and the strike-off (销号).
 */
import type { CaseUpdate } from '../../activities/tasks';
import type { Actor, CaseStage } from '../../domain/types';
import type { TaskState } from '../messages';
import { acts, type OpenTaskSpec, SYSTEM, type TaskEngine } from '../tasks';
import type { CaseWorkflowInput } from './messages';
import { farmlandBookings } from './quota';
import type { CaseState } from './state';

export class CaseSteps {
  constructor(
    protected readonly input: CaseWorkflowInput,
    readonly state: CaseState,
    protected readonly engine: TaskEngine,
    /** Upserts the search attributes when they changed. */
    protected readonly sync: () => void,
  ) {}

  protected get caseNo(): string {
    return this.input.caseNo;
  }

  protected patchCodes(): string[] {
    return this.state.patches.map((p) => p.code);
  }

  /** A task for the county's officers (the case is the county's). */
  protected county(type: OpenTaskSpec['type'], context?: Record<string, unknown>): OpenTaskSpec {
    return { type, regionCode: this.input.countyCode, role: 'officer', context };
  }

  /** Opens a task; with a stage, the case moves to it (read model and search attributes). */
  async openTask(spec: OpenTaskSpec, stage?: CaseStage): Promise<TaskState> {
    const task = await this.engine.openTask({ ...spec, caseUpdate: { ...spec.caseUpdate, ...(stage ? { status: stage } : {}) } });
    if (stage) this.state.stage = stage;
    this.sync();
    return task;
  }

  protected async closeTask(task: TaskState, actor: Actor, result: unknown, caseUpdate?: CaseUpdate): Promise<void> {
    await this.engine.closeTask(task, 'completed', `${task.type}.completed`, actor, result, { caseUpdate });
    if (caseUpdate?.status) this.state.stage = caseUpdate.status;
    this.sync();
  }

  /** Tells each linked patch the case's stage (and path, and whether it is closed). */
  protected async report(closed = false): Promise<void> {
    await acts.reportCaseStatus({ caseNo: this.caseNo, patchCodes: this.patchCodes(), status: this.state.stage, closed, path: this.state.path });
  }

  protected bookings(kind: 'unfreeze' | 'deduct', reason: string, partial?: { share: number; key: string }) {
    return farmlandBookings(this.caseNo, this.input.countyCode, this.state.patches, kind, reason, partial);
  }

  /** A rectification level rejected (or an on-site check did not confirm): the county rectifies again. */
  protected async backToRectification(level: string, reason: string): Promise<void> {
    await this.openTask(this.county('rectification', { path: this.state.path, rejectedBy: level, reason }), 'rectification');
    await this.report();
  }

  /** The illegal state is gone (by the path `how`): the case is struck off as soon as nothing else holds it. */
  protected async eliminated(how: string): Promise<void> {
    this.state.eliminated = true;
    await acts.updateCase({
      caseNo: this.caseNo,
      eventKey: this.engine.nextEventKey(),
      action: 'case.eliminated',
      actor: SYSTEM,
      caseUpdate: { eliminated: true },
      detail: { how },
    });
    await this.maybeStrikeOff();
  }

  /** 销号: only once the illegal state is gone and every transfer has its feedback (001 三(四); 004 三(三)). */
  protected async maybeStrikeOff(): Promise<void> {
    const { state } = this;
    if (!state.eliminated || state.struckOff) return;
    // Not while the act continues: the open follow-up stop order must report it stopped first.
    if (state.actContinues && !state.transfers.some((t) => !t.feedback)) {
      await this.waitIn('stop_order', 'case.awaiting_stop');
      return;
    }
    if (state.transfers.some((t) => !t.feedback)) {
      await this.waitIn('awaiting_transfers', 'case.awaiting_transfers');
      return;
    }
    state.struckOff = true;
    state.stage = 'struck_off';
    await acts.updateCase({
      caseNo: this.caseNo,
      eventKey: this.engine.nextEventKey(),
      action: 'case.struck_off',
      actor: SYSTEM,
      caseUpdate: { status: 'struck_off', struckOff: true },
    });
    this.sync();
    await this.report(true);
  }

  /** Eliminated but held: the case waits in `stage` (recorded once). */
  private async waitIn(stage: 'stop_order' | 'awaiting_transfers', action: string): Promise<void> {
    if (this.state.stage === stage) return;
    this.state.stage = stage;
    await acts.updateCase({ caseNo: this.caseNo, eventKey: this.engine.nextEventKey(), action, actor: SYSTEM, caseUpdate: { status: stage } });
    this.sync();
  }
}
