/**
 * Issuing patches one by one (the API's single issue, services/issue-patch.ts) with bounded concurrency,
 * until each one's verification task is in the read model: the rate bench:start measures, and the one
 * bench:import holds a batch import against in the same run.
 */
import { issuePatch } from '../api/services/issue-patch';
import { SYSTEM_ACTOR } from '../domain/types';
import { rectangle } from '../scripts/demo/patches';
import { type BenchSystem, pool, waitFor } from './support';

export async function issueOneByOne(sys: BenchSystem, codes: string[], batchCode: string, concurrency: number): Promise<{ started: number; ready: number }> {
  const deps = { db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue };
  const t0 = performance.now();
  await pool(codes, concurrency, (code) =>
    issuePatch(
      deps,
      {
        code,
        countyCode: '640104',
        category: 'new_non_agricultural_construction',
        source: 'ministry',
        batchKind: 'monthly',
        batchCode,
        areaMu: 3.5,
        geometry: rectangle([106.288, 38.473], 3.5),
        military: false,
      },
      SYSTEM_ACTOR,
    ),
  );
  const started = performance.now() - t0;
  await waitFor(async () => {
    const [{ n }] = await sys.database.sql`select count(*)::int as n from tasks where patch_code = any(${codes})`;
    return n >= codes.length;
  }, 200);
  return { started, ready: performance.now() - t0 };
}
