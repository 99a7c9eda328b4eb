/** A task as the API lists it, what an action needs around it, and how one completion is sent and logged. */
import type { SimApi } from './api';
import type { Level, SimLog } from './log';
import type { Rng } from './prng';
import type { World } from './world';

export interface Task {
  id: string;
  type: string;
  regionCode: string;
  level: Level;
  role: string;
  patchCode: string | null;
  caseNo: string | null;
  dueAt: string | null;
  openedAt: string;
  context: Record<string, any> | null;
}

export interface ActCtx {
  api: SimApi;
  log: SimLog;
  world: World;
  user: string;
  now: number;
  rng: Rng;
  /** Answers other than 200, by task type and status: refusals the simulation did not expect. */
  refused: Map<string, number>;
}

/** Completes a task; true when the workflow took it (200). */
export async function complete(ctx: ActCtx, task: Task, body: unknown): Promise<any | undefined> {
  const res = await ctx.api.call(ctx.user, 'POST', `/api/tasks/${encodeURIComponent(task.id)}/complete`, body);
  if (res.status === 200) return res.body;
  const key = `${task.type} ${res.status} ${res.body?.code ?? ''}`;
  ctx.refused.set(key, (ctx.refused.get(key) ?? 0) + 1);
  if (ctx.refused.get(key) === 1) console.warn(`[simulate-year] ${task.type} ${task.id}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return undefined;
}
