/**
 * The patch stages as the simulated officers and reviewers work them: the county's verification (on time,
 * late, or after asking an extension), the reviews (pass or send back), corrections (submit or refuse),
 * direct determinations, on-site checks and extension decisions.
 */
import { localDate } from './dates';
import { determinationFor } from './determinations';
import type { Legality } from './log';
import { pick } from './prng';
import { type ActCtx, complete, type Task } from './task';
import type { PatchFacts } from './world';

function facts(ctx: ActCtx, task: Task): PatchFacts {
  const p = ctx.world.patches.get(task.patchCode ?? '');
  if (!p) throw new Error(`task ${task.id} of an unknown patch ${task.patchCode}`);
  return p;
}

async function file(
  ctx: ActCtx,
  task: Task,
  p: PatchFacts,
  legality: Legality,
  how: 'verification' | 'correction' | 'direct' | 'onsite',
  body: (d: unknown) => unknown,
) {
  const d = await determinationFor(ctx.api, ctx.user, p, legality, ctx.now, task.context?.rules?.farmlandFlags);
  const done = await complete(ctx, task, body(d));
  if (!done) return undefined;
  ctx.world.legality.set(p.code, legality);
  ctx.log.add({ e: 'determined', code: p.code, how, legality, totalMu: p.areaMu, farmlandMu: legality === 'illegal' ? p.farmlandMu : 0, level: task.level });
  return done;
}

export async function verification(ctx: ActCtx, task: Task) {
  const p = facts(ctx, task);
  const done = await file(ctx, task, p, p.reported, 'verification', (d) => ({ determination: d }));
  if (done) ctx.log.add({ e: 'verified', code: p.code, at: ctx.now, dueAt: Date.parse(task.dueAt ?? '') });
}

export async function correction(ctx: ActCtx, task: Task) {
  const p = facts(ctx, task);
  // A county that concealed mostly gives in; one that did not mostly stands by its determination.
  const concealed = p.reported !== p.truth;
  if (ctx.rng() < (concealed ? 0.25 : 0.5)) {
    await complete(ctx, task, { decision: 'decline', reason: '原判定依据充分，不予修正' });
    return;
  }
  await file(ctx, task, p, p.truth, 'correction', (d) => ({ decision: 'submit', determination: d }));
}

export async function review(ctx: ActCtx, task: Task) {
  const p = facts(ctx, task);
  const given = (task.context?.determination?.legality ?? ctx.world.legality.get(p.code)) as Legality | undefined;
  const suspicious = given !== undefined && given !== p.truth;
  const sendBack = !p.sentBack.has(task.level) && ctx.rng() < (suspicious ? 0.8 : 0.08);
  if (sendBack) {
    const done = await complete(ctx, task, { decision: 'send_back', reason: '现场照片与判定不符，请核实后重新填报' });
    if (done) {
      p.sentBack.add(task.level);
      ctx.log.add({ e: 'sent_back', code: p.code, at: ctx.now });
    }
    return;
  }
  await complete(ctx, task, { decision: 'pass' });
}

export async function directDetermination(ctx: ActCtx, task: Task) {
  const p = facts(ctx, task);
  await file(ctx, task, p, p.truth, 'direct', (d) => ({ determination: d, reason: '县级未按期修正，依法直接认定' }));
}

export async function onsiteCheck(ctx: ActCtx, task: Task) {
  const p = facts(ctx, task);
  const given = (task.context?.determination?.legality ?? ctx.world.legality.get(p.code)) as Legality | undefined;
  if (given !== 'illegal' && p.truth === 'illegal') {
    await file(ctx, task, p, 'illegal', 'onsite', (d) => ({ decision: 'overturn', determination: d, reason: '实地核查发现违法占地' }));
    return;
  }
  await complete(ctx, task, { decision: 'confirm', notes: '实地核查与填报一致' });
}

export async function extensionDecision(ctx: ActCtx, task: Task) {
  const decision = pick(ctx.rng, { approve: 3, reject: 1 });
  const requested = task.context?.requestedDate as string | undefined;
  if (decision === 'approve' && requested) await complete(ctx, task, { decision: 'approve', newDueDate: requested, reason: '理由充分' });
  else await complete(ctx, task, { decision: 'reject', reason: '延期理由不充分' });
}

/** The county asks for more time: ten days after the current due day. */
export async function askExtension(ctx: ActCtx, task: Task) {
  const due = Date.parse(task.dueAt ?? '');
  const res = await ctx.api.call(ctx.user, 'POST', `/api/tasks/${encodeURIComponent(task.id)}/extension`, {
    reason: '涉及多个权属单位，外业核查需协调，申请延期',
    requestedDate: localDate(due + 10 * 86_400_000),
  });
  if (res.status !== 200) {
    const key = `extension ${res.status} ${res.body?.code ?? ''}`;
    ctx.refused.set(key, (ctx.refused.get(key) ?? 0) + 1);
    if (ctx.refused.get(key) === 1) console.warn(`[simulate-year] extension ${task.id}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}
