/**
 * One step of the simulated users: each reads its inbox (open tasks of its own region and role), plans a
 * task the first time it sees it (when to act and how, from the seed), and acts on the tasks whose time has come.
 */
import { pool } from '../../ingest/pool';
import { caseTask } from './case-actors';
import { DAY } from './dates';
import type { Level } from './log';
import { forKey, pick } from './prng';
import * as patch from './patch-actors';
import type { ActCtx, Task } from './task';
import type { Plan } from './world';

export interface SimUser {
  username: string;
  role: 'officer' | 'reviewer';
  regionCode: string;
}

type Base = Omit<ActCtx, 'user' | 'rng'> & { seed: number };

const ACTIONS: Record<string, (ctx: ActCtx, task: Task) => Promise<void>> = {
  verification: patch.verification,
  correction: patch.correction,
  review: patch.review,
  direct_determination: patch.directDetermination,
  onsite_check: patch.onsiteCheck,
  extension_decision: patch.extensionDecision,
};

/** How soon a task is done: within a week, and two days before it is due. */
function promptly(seen: number, due: number, rng: () => number) {
  const room = Number.isFinite(due) ? Math.max(0, Math.min(7 * DAY, due - seen - 2 * DAY)) : 7 * DAY;
  return seen + rng() * room;
}

async function plan(base: Base, user: SimUser, task: Task): Promise<Plan> {
  const rng = forKey(base.seed, `plan:${task.id}`);
  const seen = base.now;
  const due = task.dueAt ? Date.parse(task.dueAt) : Number.POSITIVE_INFINITY;
  if (task.type === 'verification') {
    const timing = pick(rng, { on_time: 75, late: 15, extension: 10 });
    if (timing === 'late') return { actAt: due + (1 + rng() * 14) * DAY, timing };
    if (timing === 'extension') {
      await patch.askExtension({ ...base, user: user.username, rng }, task);
      return { actAt: due + 4 * DAY, timing };
    }
    return { actAt: promptly(seen, due, rng), timing };
  }
  // Some corrections are left to expire: the timer hands the patch to the level above (direct determination).
  if (task.type === 'correction' && rng() < 0.1) return { actAt: Number.POSITIVE_INFINITY };
  return { actAt: promptly(seen, due, rng) };
}

export async function runInbox(base: Base, user: SimUser): Promise<number> {
  const { api, log, world } = base;
  const open = await api.list<Task>(user.username, 'tasks', { status: 'open', role: user.role });
  const mine = open.filter((t) => t.regionCode === user.regionCode);
  const due: Task[] = [];
  for (const task of mine) {
    if (!world.seen.has(task.id)) {
      world.seen.add(task.id);
      const given = task.context?.determination?.legality;
      log.add({
        e: 'task',
        id: task.id,
        type: task.type,
        level: task.level as Level,
        code: task.patchCode ?? undefined,
        caseNo: task.caseNo ?? undefined,
        given,
      });
    }
    let p = world.plans.get(task.id);
    if (!p) {
      p = await plan(base, user, task);
      world.plans.set(task.id, p);
    }
    if (p.actAt <= base.now) due.push(task);
  }
  await pool(due, 6, async (task) => {
    const ctx: ActCtx = { ...base, user: user.username, rng: forKey(base.seed, `act:${task.id}`) };
    const action = ACTIONS[task.type] ?? caseTask;
    await action(ctx, task);
    world.plans.set(task.id, { actAt: Number.POSITIVE_INFINITY });
  });
  return due.length;
}
