/** The supervision API: overdue counts, monthly clearance, bulk remind and reassign. */
import { useQuery } from '@tanstack/react-query';
import { httpClient } from '../dataProvider';

export interface RegionRef {
  code: string;
  name: string;
  level: string;
}

export interface OverdueCount {
  count: number;
  maxOverdueDays: number;
  avgOverdueDays: number;
}

export interface OverdueSummary {
  region: RegionRef;
  total: OverdueCount;
  regions: Array<OverdueCount & { regionCode: string; regionName: string; level: string; own: boolean; byStage: Record<string, number> }>;
  byStage: Array<OverdueCount & { stage: string }>;
  byAge: Array<{ bucket: string; count: number }>;
  asOf: string;
}

export interface ClearanceCounts {
  total: number;
  onTime: number;
  late: number;
  open: number;
  openOverdue: number;
  rate: number | null;
}

export interface ClearanceSummary {
  region: RegionRef;
  month: string;
  total: ClearanceCounts;
  regions: Array<ClearanceCounts & { regionCode: string; regionName: string; level: string }>;
}

const get = async <T>(url: string): Promise<T> => (await httpClient(url)).json as T;

export const useOverdue = (regionCode: string) =>
  useQuery({
    queryKey: ['supervision', 'overdue', regionCode],
    queryFn: () => get<OverdueSummary>(`/api/supervision/overdue?regionCode=${regionCode}`),
    enabled: Boolean(regionCode),
  });

export const useClearance = (regionCode: string, month: string) =>
  useQuery({
    queryKey: ['supervision', 'clearance', regionCode, month],
    queryFn: () => get<ClearanceSummary>(`/api/supervision/clearance?regionCode=${regionCode}${month ? `&month=${month}` : ''}`),
    enabled: Boolean(regionCode),
  });

export const remind = async (taskIds: string[], message?: string) =>
  (await httpClient('/api/supervision/remind', { method: 'POST', body: JSON.stringify({ taskIds, ...(message ? { message } : {}) }) })).json as {
    reminded: string[];
    alreadyToday: string[];
  };

export const reassign = async (taskIds: string[], userId: number) =>
  (await httpClient('/api/supervision/reassign', { method: 'POST', body: JSON.stringify({ taskIds, userId }) })).json as {
    assigned: string[];
    unchanged: string[];
  };
