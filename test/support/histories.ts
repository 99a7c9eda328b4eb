/**
 * Recorded histories for the replay tests. `RECORD_HISTORIES=1 npx vitest run <file>` writes the history
 * of a scenario's workflow to test/histories/<name>.json when there is none yet: histories of older code
 * stay, so that the workflows still running on it keep replaying (RECORD_HISTORIES=overwrite replaces).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/config';
import type { TestSystem } from './system';

export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');

export async function recordHistory(sys: TestSystem, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  if (existsSync(file) && process.env.RECORD_HISTORIES !== 'overwrite') return;
  const history = await sys.temporal.workflow.getHandle(workflowId).fetchHistory();
  // The workflow id matters on replay: task ids are derived from it.
  writeFileSync(file, JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1));
}
