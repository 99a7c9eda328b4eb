/**
 * Recorded histories for the replay tests. `RECORD_HISTORIES=1 npx vitest run <file>` writes the history
 * of a scenario's workflow to test/histories/<name>.json; the replay test replays every file there.
 */
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/config';
import type { TestSystem } from './system';

export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');

export async function recordHistory(sys: TestSystem, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await sys.temporal.workflow.getHandle(workflowId).fetchHistory();
  // The workflow id matters on replay: task ids are derived from it.
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1));
}
