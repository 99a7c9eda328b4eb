/** Work distribution calls: claim, unclaim, assign. Each answers with the task as it now is. */
import { httpClient } from '../dataProvider';
import type { TaskRecord } from './types';

const post = async (path: string, body: unknown = {}): Promise<TaskRecord> => {
  const { json } = await httpClient(path, { method: 'POST', body: JSON.stringify(body) });
  return json as TaskRecord;
};
const taskPath = (id: string, action: string) => `/api/tasks/${encodeURIComponent(id)}/${action}`;

export const claimTask = (id: string) => post(taskPath(id, 'claim'));
export const unclaimTask = (id: string) => post(taskPath(id, 'unclaim'));
export const assignTask = (id: string, userId: number) => post(taskPath(id, 'assign'), { userId });
