/**
 * 一图两用、地矿同核 (000 二(一); 004 三(二)): one patch serves land and mineral enforcement, and the county
 * checks land use and mineral use together, within the same deadline. The mineral part of a determination
 * (is there mining, is it licensed, 违法采矿 / 越界开采 / none), beside the land part and reviewed with it; a
 * mineral violation opens a case of its own (004 三(四): 符合立案条件的必须立案查处). Pure: workflows import it.
 */
import type { BatchKind, PatchCategory } from './types';

/** 违法采矿 (mining without a licence), 越界开采 (a licence holder mining beyond its area), or none. */
export const MINERAL_FINDINGS = ['illegal_mining', 'beyond_boundary', 'none'] as const;
export type MineralFinding = (typeof MINERAL_FINDINGS)[number];

export const MINERAL_FINDING_LABELS: Record<MineralFinding, string> = { illegal_mining: '违法采矿', beyond_boundary: '越界开采', none: '无违法用矿' };
export const MINERAL_FINDING_LABELS_EN: Record<MineralFinding, string> = {
  illegal_mining: 'illegal mining',
  beyond_boundary: 'mining beyond the licensed area',
  none: 'no mineral violation',
};

/** The mineral part of a determination (用矿情况). */
export interface MineralDetermination {
  /** 是否存在采矿（含硐采）行为. */
  present: boolean;
  /** 是否持有采矿许可证: asked where there is mining. */
  licensed?: boolean;
  /** 采矿许可证号, where licensed. */
  licenseNumber?: string;
  finding: MineralFinding;
  notes?: string;
}

/** A mineral violation: 违法采矿 or 越界开采. */
export const mineralViolation = (m: MineralDetermination | undefined | null): boolean => m?.finding === 'illegal_mining' || m?.finding === 'beyond_boundary';

/** Patches issued for mineral enforcement (矿产卫片图斑, the quarterly 补漏 batches, 000 二(一)) must answer the mineral part. */
export const mineralPartRequired = (patch: { category: PatchCategory; batchKind?: BatchKind }): boolean =>
  patch.category === 'mineral' || patch.batchKind === 'mineral';

export interface MineralViolation {
  path: string;
  rule: 'mineral_required' | 'mineral_inconsistent';
  message: string;
  messageEn: string;
  params?: Record<string, string>;
}

/**
 * The mineral part's own consistency: no mining → no mineral violation; 违法采矿 is mining without a licence,
 * 越界开采 mining by a licence holder beyond its area; where there is mining, whether it is licensed is answered.
 * `required`: the patch is a mineral patch (and the task knows the rule).
 */
export function checkMineral(m: MineralDetermination | undefined, required: boolean, prefix = 'determination'): MineralViolation[] {
  const path = `${prefix}.mineral`;
  if (!m) {
    return required
      ? [
          {
            path,
            rule: 'mineral_required',
            message: '本图斑为矿产卫片图斑，须同时填写用矿情况（是否采矿、是否持证、违法采矿/越界开采/无）',
            messageEn: 'this is a mineral patch: also give the mineral part (mining present, licensed, illegal mining / beyond the licensed area / none)',
          },
        ]
      : [];
  }
  const out: MineralViolation[] = [];
  const bad = (field: string, message: string, messageEn: string, params?: Record<string, string>) =>
    out.push({ path: `${path}.${field}`, rule: 'mineral_inconsistent', message, messageEn, params });
  if (!m.present && m.finding !== 'none') {
    bad('finding', '未发现采矿行为的图斑，用矿判定只能为"无违法用矿"', 'without mining the mineral finding can only be "no mineral violation"', {
      finding: m.finding,
    });
  }
  if (m.present && typeof m.licensed !== 'boolean')
    bad('licensed', '存在采矿行为的，须填写是否持有采矿许可证', 'where there is mining, say whether it is licensed');
  if (m.finding === 'illegal_mining' && m.licensed === true) {
    bad('finding', '持有采矿许可证的，应判定为"越界开采"或"无违法用矿"', 'a licensed mine is "beyond the licensed area" or "no mineral violation"', {
      finding: m.finding,
    });
  }
  if (m.finding === 'beyond_boundary' && m.licensed === false) {
    bad('finding', '未持有采矿许可证的，应判定为"违法采矿"', 'mining without a licence is "illegal mining"', { finding: m.finding });
  }
  if (m.present && m.licensed === false && m.finding === 'none') {
    bad('finding', '无证采矿应判定为"违法采矿"', 'mining without a licence is "illegal mining"', { finding: m.finding });
  }
  return out;
}
