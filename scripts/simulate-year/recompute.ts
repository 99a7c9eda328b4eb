/**
 * The annual figures recomputed from the simulation's own log — what its users issued, filed, saw and
 * decided — by the definitions of docs/domain.md §11–12, written out here afresh: nothing of the project's
 * statistics or report code is imported, so a fault there shows as a difference.
 */
import type { Legality, SimEvent, SimLog } from './log';

export interface RecomputeInput {
  log: SimLog;
  /** The year's bounds (local midnights) and the instant the figures are taken. */
  from: number;
  to: number;
  end: number;
  /** The province's policy figures the report compares with (statistics.*). */
  threshold: number;
  warnAtShareOfThreshold: number;
  concealment: { rate: number; moreThan: number };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
const mu = (v: number) => Math.round(v * 100) / 100;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

interface PatchView {
  areaMu: number;
  farmlandMu: number;
  first?: Legality;
  final?: Legality;
  direct: boolean;
  verified?: { at: number; dueAt: number };
  sentBack: boolean;
  reviewed: boolean;
  checked: boolean;
  provinceChecked: boolean;
  provinceFound: boolean;
  eliminated?: { path: string };
  overdue: boolean;
}

function patchViews(input: RecomputeInput): Map<string, PatchView> {
  const { log, from, to, end } = input;
  const views = new Map<string, PatchView>();
  for (const i of log.of('issued'))
    if (i.issuedAt >= from && i.issuedAt < to)
      views.set(i.code, {
        areaMu: i.areaMu,
        farmlandMu: 0,
        direct: false,
        reviewed: false,
        checked: false,
        provinceChecked: false,
        provinceFound: false,
        overdue: false,
        sentBack: false,
      });
  const caseOf = new Map(log.of('case').map((c) => [c.caseNo, c.code]));
  for (const ev of log.events as SimEvent[]) {
    const v = 'code' in ev && ev.code ? views.get(ev.code) : ev.e === 'eliminated' ? views.get(caseOf.get(ev.caseNo) ?? '') : undefined;
    if (!v) continue;
    if (ev.e === 'determined') {
      v.first ??= ev.legality;
      v.final = ev.legality;
      v.areaMu = ev.totalMu;
      v.farmlandMu = ev.farmlandMu;
      if (ev.how === 'direct') v.direct = true;
      if (ev.how === 'onsite' && ev.level === 'province') v.provinceFound ||= true;
    } else if (ev.e === 'verified') v.verified ??= { at: ev.at, dueAt: ev.dueAt };
    else if (ev.e === 'sent_back') v.sentBack = true;
    else if (ev.e === 'task' && !ev.caseNo) {
      if (ev.type === 'review' && ev.level !== 'county') v.reviewed = v.checked = true;
      if (ev.type === 'onsite_check') v.checked = true;
      if ((ev.type === 'review' || ev.type === 'onsite_check') && ev.level === 'province') {
        v.provinceChecked = true;
        if (ev.type === 'review' && ev.given !== 'illegal') v.provinceFound = true;
      }
    } else if (ev.e === 'eliminated') v.eliminated = { path: ev.path };
    else if (ev.e === 'open_at_end' && !Number.isNaN(ev.dueAt) && ev.dueAt < end) v.overdue = true;
  }
  return views;
}

/** The report's figure rows (label → value as the CSV shows it). */
export function recompute(input: RecomputeInput): Map<string, string> {
  const all = [...patchViews(input).values()];
  const is = (l: Legality) => all.filter((p) => p.final === l);
  const verified = all.filter((p) => p.verified);
  const onTime = verified.filter((p) => p.verified!.at <= p.verified!.dueAt).length;
  const legal = is('legal');
  const illegal = is('illegal');
  const other = is('other');
  const rectified = illegal.filter((p) => p.eliminated);
  const illegalArea = sum(illegal.map((p) => p.areaMu));
  const illegalFarmland = sum(illegal.map((p) => p.farmlandMu));
  const rectifiedArea = sum(rectified.map((p) => p.areaMu));
  const rectifiedFarmland = sum(rectified.map((p) => p.farmlandMu));
  const recultivated = sum(rectified.filter((p) => p.eliminated!.path === 'demolish_recultivate').map((p) => p.farmlandMu));
  const legalised = sum(rectified.filter((p) => p.eliminated!.path === 'legalise').map((p) => p.farmlandMu));
  // Legal patches are filed with no farmland here, so the denominator's new construction on farmland is the illegal farmland.
  const construction = illegalFarmland + sum(legal.map((p) => p.farmlandMu));
  const numerator = Math.max(0, illegalFarmland - recultivated - legalised);
  const denominator = Math.max(0, construction - recultivated);
  const accountability = ratio(numerator, denominator);
  const accountabilityShown = accountability === null ? null : round(accountability, 6);
  const warning =
    accountability === null
      ? '—'
      : accountability >= input.threshold
        ? '已达到问责标准'
        : accountability >= input.threshold * input.warnAtShareOfThreshold
          ? '接近问责标准'
          : '—';
  const concealed = all.filter((p) => p.first !== undefined && p.first !== 'illegal' && p.final === 'illegal');
  const provinceChecked = all.filter((p) => p.provinceChecked).length;
  const provinceConcealed = concealed.filter((p) => p.provinceChecked && p.provinceFound).length;
  const concealmentRate = ratio(provinceConcealed, provinceChecked);
  const rows: Array<[string, string | number]> = [
    ['下发图斑（个）', all.length],
    ['按时核查填报（个）', onTime],
    ['逾期核查填报（个）', verified.length - onTime],
    ['尚未核查（个）', all.length - verified.length],
    ['当前逾期（个）', all.filter((p) => p.overdue).length],
    ['月清率', pct(ratio(onTime, all.length))],
    ['合法（个）', legal.length],
    ['合法面积（亩）', mu(sum(legal.map((p) => p.areaMu)))],
    ['违法（个）', illegal.length],
    ['违法面积（亩）', mu(illegalArea)],
    ['违法占用耕地（亩）', mu(illegalFarmland)],
    ['其他（个）', other.length],
    ['其他面积（亩）', mu(sum(other.map((p) => p.areaMu)))],
    ['直接认定（个）', all.filter((p) => p.direct).length],
    ['已整改违法图斑（个）', rectified.length],
    ['已整改面积（亩）', mu(rectifiedArea)],
    ['已整改耕地（亩）', mu(rectifiedFarmland)],
    ['整改到位率（面积）', pct(ratio(rectifiedArea, illegalArea))],
    ['整改到位率（耕地）', pct(ratio(rectifiedFarmland, illegalFarmland))],
    ['问责比例', pct(accountabilityShown)],
    ['问责比例分子（亩，扣减后）', round(numerator)],
    ['问责比例分母（亩，扣减后）', round(denominator)],
    ['扣减：重大基础设施项目违法用地（亩，分子分母）', 0],
    ['扣减：已拆除复耕到位（亩，分子分母）', round(recultivated)],
    ['扣减：已补办完善用地手续（亩，仅分子）', round(legalised)],
    ['问责标准', pct(input.threshold)],
    ['预警', warning],
    ['市、省级抽中审核图斑（个）', all.filter((p) => p.reviewed).length],
    ['审核或实地核查图斑（个）', all.filter((p) => p.checked).length],
    ['其中瞒报图斑（个）', concealed.filter((p) => p.checked).length],
    ['省级审核或实地核查图斑（个）', provinceChecked],
    ['其中省级发现瞒报图斑（个）', provinceConcealed],
    ['省级审核中瞒报率（省级发现瞒报图斑 / 省级审核或实地核查图斑）', pct(concealmentRate)],
    ['须约谈（瞒报）', concealmentRate !== null && concealmentRate >= input.concealment.rate && provinceConcealed > input.concealment.moreThan ? '是' : '否'],
    ['超过T+10下发（个）', 0],
    // 填报 and 差错 (docs/domain.md §11): filed = the county's verification filed; sent back = of those, returned
    // by a reviewer at least once.
    ['已填报（个）', verified.length],
    ['填报率（已填报 / 下发）', pct(ratio(verified.length, all.length))],
    ['其中审核退回（个）', verified.filter((p) => p.sentBack).length],
    ['差错率（审核退回 / 已填报）', pct(ratio(verified.filter((p) => p.sentBack).length, verified.length))],
    // The simulation files no mineral part: every mineral figure is 0 (地矿同核, counted apart).
    ['矿产：填报用矿情况图斑（个）', 0],
    ['矿产：存在采矿行为（个）', 0],
    ['矿产：违法采矿（个）', 0],
    ['矿产：违法采矿面积（亩）', 0],
    ['矿产：越界开采（个）', 0],
    ['矿产：越界开采面积（亩）', 0],
    ['矿产：立案查处（个）', 0],
  ];
  return new Map([...rows.map(([k, v]) => [k, String(v)] as [string, string]), ...quotaRows(input)]);
}

/** The farmland quota of the year: frozen at registration, unfrozen at the province's confirmation, deducted when legalised or confiscated. */
function quotaRows(input: RecomputeInput): Array<[string, string]> {
  const { log, from, to } = input;
  const within = (at: number) => at >= from && at < to;
  const farmlandOfCase = new Map<string, number>();
  const byCode = new Map(log.of('issued').map((i) => [i.code, i]));
  const lastDetermined = new Map<string, number>();
  for (const d of log.of('determined')) lastDetermined.set(d.code, d.farmlandMu);
  for (const c of log.of('case')) {
    const cat = byCode.get(c.code)?.category ?? '';
    const nonAgricultural = cat !== 'facility_agriculture' && cat !== 'agricultural_project_illegal';
    farmlandOfCase.set(c.caseNo, nonAgricultural ? (lastDetermined.get(c.code) ?? 0) : 0);
  }
  const frozen = sum(
    log
      .of('registered')
      .filter((r) => within(r.at))
      .map((r) => farmlandOfCase.get(r.caseNo) ?? 0),
  );
  const released = (paths: string[]) =>
    sum(
      log
        .of('eliminated')
        .filter((x) => within(x.at) && paths.includes(x.path))
        .map((x) => farmlandOfCase.get(x.caseNo) ?? 0),
    );
  if (frozen === 0) return [];
  return [['补充耕地指标', [mu(frozen), mu(released(['demolish_recultivate'])), mu(released(['legalise', 'confiscate']))].join(',')]];
}
