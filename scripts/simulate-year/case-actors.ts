/**
 * A violation case as the simulated county and its reviewers work it: registration, the stop order, the
 * decision (demolition and re-cultivation, legalisation or confiscation; some with transfers), the feedback
 * of the organs it was transferred to, the plan, the rectification and the three acceptances (each level
 * rejects at most once), the province's confirmation unfreezing the quota.
 */
import { DAY, localDate } from './dates';
import { pick } from './prng';
import { type ActCtx, complete, type Task } from './task';
import type { CaseFacts } from './world';

async function caseOf(ctx: ActCtx, task: Task): Promise<CaseFacts> {
  const caseNo = task.caseNo ?? '';
  let c = ctx.world.cases.get(caseNo);
  if (!c) {
    const res = await ctx.api.call(ctx.user, 'GET', `/api/cases/${encodeURIComponent(caseNo)}`);
    if (res.status !== 200) throw new Error(`case ${caseNo}: ${res.status} ${JSON.stringify(res.body)}`);
    c = { caseNo, code: res.body.primaryPatchCode, rejected: new Set() };
    ctx.world.cases.set(caseNo, c);
    ctx.log.add({ e: 'case', code: c.code, caseNo });
  }
  return c;
}

const docNo = (kind: string, ctx: ActCtx, c: CaseFacts) => `宁自然资${kind}〔${localDate(ctx.now).slice(0, 4)}〕${c.caseNo.slice(-4)}号`;

export async function caseTask(ctx: ActCtx, task: Task) {
  const c = await caseOf(ctx, task);
  const p = ctx.world.patches.get(c.code);
  const today = localDate(ctx.now);
  switch (task.type) {
    case 'case_register':
      if (
        await complete(ctx, task, {
          party: { name: `某建设单位${c.caseNo.slice(-4)}`, kind: 'organisation' },
          site: '银川市某村',
          facts: '未经批准占用土地建设',
          legalBasis: '《土地管理法》第七十七条',
          linkPatchCodes: [],
        })
      )
        ctx.log.add({ e: 'registered', caseNo: c.caseNo, at: ctx.now });
      return;
    case 'stop_order':
      await complete(ctx, task, { documentNumber: docNo('停', ctx, c), issuedOn: today, stopped: true });
      return;
    case 'case_decision': {
      const path = pick(ctx.rng, { demolish_recultivate: 7, legalise: 2, confiscate: 1 });
      const criminal = ctx.rng() < 0.1;
      const departments = ctx.rng() < 0.1 ? ['agriculture'] : [];
      const done = await complete(ctx, task, {
        documentNumber: docNo('罚', ctx, c),
        decidedOn: today,
        fine: { amountYuan: 50000, collected: true, collectedYuan: 50000 },
        confiscation: path === 'confiscate',
        demolition: path === 'demolish_recultivate',
        recultivation: path === 'demolish_recultivate',
        disciplineReferral: false,
        criminalReferral: criminal,
        departments,
        path,
      });
      if (done) {
        c.path = path;
        ctx.log.add({ e: 'path', caseNo: c.caseNo, path });
      }
      return;
    }
    case 'transfer_feedback':
      await complete(ctx, task, { receivedOn: today, result: '已收到移送材料并依法处理' });
      return;
    case 'rectification_plan':
      await complete(ctx, task, { responsiblePerson: '王某', measures: '拆除违法建筑、恢复原状', plannedBy: localDate(ctx.now + 60 * DAY) });
      return;
    case 'rectification': {
      const path = (task.context?.path as string | undefined) ?? c.path ?? 'demolish_recultivate';
      const areaMu = p?.areaMu ?? 0;
      const body =
        path === 'legalise'
          ? { completedOn: today, rectifiedMu: 0, approval: { type: 'land_approval', documentNumber: docNo('补批', ctx, c), date: today } }
          : path === 'confiscate'
            ? { completedOn: today, rectifiedMu: 0, confiscationDocument: docNo('没', ctx, c) }
            : { completedOn: today, rectifiedMu: areaMu, rectifiedFarmlandMu: p?.farmlandMu ?? 0, evidence: [] };
      if ((await complete(ctx, task, body)) && path !== 'demolish_recultivate')
        ctx.log.add({ e: 'eliminated', caseNo: c.caseNo, at: ctx.now, path, farmlandMu: p?.farmlandMu ?? 0 });
      return;
    }
    case 'acceptance_county':
    case 'acceptance_city':
    case 'acceptance_province':
      await acceptance(ctx, task, c);
      return;
    default:
      throw new Error(`no simulated user for ${task.type}`);
  }
}

async function acceptance(ctx: ActCtx, task: Task, c: CaseFacts) {
  if (!c.rejected.has(task.type) && ctx.rng() < 0.1) {
    if (await complete(ctx, task, { decision: 'reject', reason: '复耕土层厚度不足，请继续整改' })) c.rejected.add(task.type);
    return;
  }
  const pass = task.type === 'acceptance_province' ? { decision: 'confirm', notes: '复耕到位' } : { decision: 'pass' };
  const body = task.type === 'acceptance_city' ? { ...pass, certificateNo: docNo('拆复证', ctx, c) } : pass;
  const done = await complete(ctx, task, body);
  if (done && task.type === 'acceptance_province') {
    const p = ctx.world.patches.get(c.code);
    ctx.log.add({ e: 'eliminated', caseNo: c.caseNo, at: ctx.now, path: 'demolish_recultivate', farmlandMu: p?.farmlandMu ?? 0 });
  }
}
