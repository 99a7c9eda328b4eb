/** What a violation case records (plain types shared by the workflows, the API and the UI). */
import type { Department, RectificationPath } from './types';

export interface Party {
  name: string;
  kind: 'person' | 'organisation';
  idNumber?: string;
  contact?: string;
}

/** 处罚决定 and its "six musts" (六个该, 002 六(二)). */
export interface CaseDecision {
  documentNumber: string;
  decidedOn: string;
  fine: { amountYuan: number; collected: boolean; collectedYuan?: number };
  confiscation: boolean;
  confiscationNote?: string;
  demolition: boolean;
  recultivation: boolean;
  disciplineReferral: boolean;
  criminalReferral: boolean;
  departments: Department[];
  path: RectificationPath;
}
