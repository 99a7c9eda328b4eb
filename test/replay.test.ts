/**
 * Recorded histories of the patch workflow replay against today's code: a change that alters the
 * commands of a running workflow without `patched()` fails here. Re-record with
 * `RECORD_HISTORIES=1 npx vitest run test/lifecycle.test.ts test/lifecycle-timers.test.ts` (cases:
 * test/cases.test.ts test/cases-timers.test.ts) only when
 * adding a scenario; old histories stay to keep old runs replayable.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR } from './support/histories';

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded histories', () => {
  it('has the scenarios the lifecycle needs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'happy-path.json',
        'send-back-loop.json',
        'direct-determination.json',
        'onsite-overturn.json',
        'deadline-change-mid-wait.json',
        'deadline-change-local-activity.json',
        'deadline-change-dues-in-signal.json',
        'recheck-reopens-case.json',
        'case-recultivation.json',
        'case-transfer-late.json',
        'happy-path-local-activities.json',
        'case-recultivation-local-activities.json',
        'direct-determination-replaced.json',
        'case-legalise.json',
        'case-confiscation.json',
        'case-merged.json',
        'case-merge-target.json',
        'case-jiangmen-rounds.json',
        'case-stop-order-follow-up.json',
        'case-transfer-follow-up.json',
        'recheck-after-strike-off.json',
        'claim-release-assign-complete.json',
        'happy-path-local-decisions.json',
        'split-parent.json',
        'split-child.json',
      ]),
    );
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed already
    }
    const recorded = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: unknown };
    const history = historyFromJSON(recorded.history);
    expect(history.events?.length).toBeGreaterThan(5);
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') } }, history, recorded.workflowId);
  });
});
