import type { TaskRecord } from '../types';

/** What every task form gets: the task and the patch it belongs to. */
export interface TaskFormProps {
  task: TaskRecord;
  patchCode: string;
}
