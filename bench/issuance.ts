/**
 * Issuing patches one by one (the API's single issue, services/issue-patch.ts) with bounded concurrency,
 * until each one's first task (verification) is open in the read model: the rate bench:start measures, the
 * one bench:import holds a batch import against in the same run, and the set-up of bench:tasks and
 * bench:fanout (their patches, in one county).
 */
import { issuePatch } from '../api/services/issue-patch';
import { SYSTEM_ACTOR } from '../domain/types';
import { rectangle } from '../scripts/demo/patches';
import { type BenchSystem, pool, waitFor } from './support';

export interface IssueOptions {
  batchCode: string;
  /** 640104 (银川兴庆区) unless given, with `at` (lng, lat) inside it. */
  countyCode?: string;
  at?: [number, number];
  issuedAt?: string;
  concurrency?: number;
}

/** Issues the patches; answers ms to the last start and ms until every one's first task is open. */
export async function issueOneByOne(sys: BenchSystem, codes: string[], opts: IssueOptions): Promise<{ started: number; ready: number }> {
  const deps = { db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue };
  const t0 = performance.now();
  await pool(codes, opts.concurrency ?? 32, (code) =>
    issuePatch(
      deps,
      {
        code,
        countyCode: opts.countyCode ?? '640104',
        category: 'new_non_agricultural_construction',
        source: 'ministry',
        batchKind: 'monthly',
        batchCode: opts.batchCode,
        areaMu: 3.5,
        geometry: rectangle(opts.at ?? [106.288, 38.473], 3.5),
        military: false,
        ...(opts.issuedAt ? { issuedAt: opts.issuedAt } : {}),
      },
      SYSTEM_ACTOR,
    ),
  );
  const started = performance.now() - t0;
  await waitFor(async () => {
    const [{ n }] = await sys.database.sql`select count(*)::int as n from tasks where patch_code = any(${codes}) and status = 'open'`;
    return n >= codes.length;
  }, 200);
  return { started, ready: performance.now() - t0 };
}
