/**
 * Measuring the issued patch against the land layers (docs/domain.md §13): one activity, idempotent,
 * with a bounded retry; a measurement that cannot be made leaves the officer's form without a suggestion, it
 * never holds up the patch.
 */
import { ActivityFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { OccupiedAreas } from '../../domain/legality';

const measuring = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Since the 'measure-on-issuance' patch; histories from before it replay without the activity. Answers the areas
 * the measurement suggests, from the activity's result in history (results recorded before it carried them answer
 * none): what the completion validator holds a determination's areas against, without trusting any client.
 */
export async function measureOnIssuance(patchCode: string): Promise<OccupiedAreas | undefined> {
  if (!patched('measure-on-issuance')) return undefined;
  try {
    return (await measuring.measurePatch({ patchCode })).suggestedAreas;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return undefined;
  }
}
