/** The policy API: read, preview, save, the fan-out's progress and the versions. */
import { httpClient } from '../dataProvider';
import type { PolicyOverrides, RegionPolicy } from '../../../domain/policy';
import type { Layer } from './paths';

export interface PolicyAnswer {
  regionCode: string;
  version: number;
  effective: RegionPolicy;
  own: PolicyOverrides | null;
  ownVersion: number;
  sources: Record<string, string>;
  layers: Array<Layer & { id: number; version: number }>;
}

export interface PreviewSample {
  taskType: string;
  level?: 'city' | 'province';
  batchKind: string;
  issuedAt: string;
  eventAt?: string;
}

export interface PreviewAnswer {
  samples: Array<PreviewSample & { currentDueAt: string; proposedDueAt: string }>;
  affected: {
    workflows: number;
    tasks: number;
    openTasksInSubtree: number;
    /** The range of the moved tasks' new due instants (null when none moves). */
    newDueFrom?: string | null;
    newDueTo?: string | null;
    /** Of the moved tasks: how many come earlier, and how many would be overdue at once. */
    earlier?: number;
    overdueAtOnce?: number;
  };
}

export interface SaveAnswer {
  id: number;
  version: number;
  broadcastWorkflowId: string;
  affected: PreviewAnswer['affected'];
}

export interface BroadcastAnswer {
  id: string;
  status: string;
  progress?: { total?: number; signalled: number; gone?: number; pages: number; done: boolean };
}

export const loadPolicy = async (code: string) => (await httpClient(`/api/regions/${code}/policy`)).json as PolicyAnswer;

export const previewPolicy = async (code: string, overrides: PolicyOverrides, samples: PreviewSample[]) =>
  (await httpClient(`/api/regions/${code}/policy/preview`, { method: 'POST', body: JSON.stringify({ overrides, samples }) })).json as PreviewAnswer;

export const savePolicy = async (code: string, overrides: PolicyOverrides, note: string) =>
  (await httpClient(`/api/regions/${code}/policy`, { method: 'PUT', body: JSON.stringify({ overrides, note }) })).json as SaveAnswer;

export const broadcastProgress = async (id: string) => (await httpClient(`/api/policy-broadcasts/${id}`)).json as BroadcastAnswer;
