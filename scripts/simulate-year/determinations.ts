/** The determinations the simulated users file (the four areas, the farmland answers, the site photo an illegal one needs). */
import type { SimApi } from './api';
import { exifTime } from './dates';
import type { Legality } from './log';
import type { PatchFacts } from './world';

/** Every farmland answer a policy may ask (003 lists six; the national policy one). */
const ALL_FLAGS = ['rural_housing', 'greenhouse_house', 'landscape_lake', 'fund_project', 'affordable_housing', 'epidemic_medical'];

/** 银川市兴庆区: where the site photos are taken (the patches carry no polygon, so no distance warning is judged). */
const SITE = { lat: 38.4705, lng: 106.2805 };

export function areasOf(p: PatchFacts, legality: Legality) {
  return { totalMu: p.areaMu, farmlandMu: legality === 'illegal' ? p.farmlandMu : 0, basicFarmlandMu: 0, redLineMu: 0 };
}

export async function determinationFor(api: SimApi, user: string, p: PatchFacts, legality: Legality, now: number, flags?: string[]) {
  const areas = areasOf(p, legality);
  const subType = { legal: 'approved_construction', illegal: 'occupied_without_approval', other: 'unchanged' }[legality];
  const evidence = legality === 'illegal' ? [await api.sitePhoto(user, p.code, SITE, exifTime(now))] : [];
  return {
    legality,
    subType,
    approvals: legality === 'legal' ? [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }] : [],
    areas,
    ...(legality === 'illegal' && areas.farmlandMu > 0
      ? { farmlandFlags: Object.fromEntries((flags?.length ? flags : ALL_FLAGS).map((f) => [f, false])) }
      : {}),
    evidence,
  };
}
