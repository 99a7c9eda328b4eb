/**
 * The administrators and supervisors of the simulated year, through the API: the national administrator
 * issues the batches; the province's administrator changes a city's verification deadline mid-year (and
 * waits for the fan-out); the province's supervisor reminds the holders of overdue tasks once a month.
 */
import { pool } from '../../ingest/pool';
import type { SimApi } from './api';
import { type Batch, logIssued } from './calendar';
import type { SimLog } from './log';
import type { World } from './world';

export async function issueBatch(api: SimApi, log: SimLog, world: World, b: Batch, now: number) {
  const issuedAt = new Date(now).toISOString();
  await pool(b.patches, 8, async (p) => {
    const res = await api.call('admin', 'POST', '/api/patches', {
      code: p.code,
      countyCode: p.county,
      category: p.category,
      source: 'ministry',
      batchCode: b.code,
      batchKind: b.kind,
      issuedAt,
      areaMu: p.areaMu,
    });
    if (res.status !== 201) throw new Error(`issue ${p.code}: ${res.status} ${JSON.stringify(res.body)}`);
    world.patches.set(p.code, p);
    logIssued(log, b, p, now);
  });
}

/** 银川市 gives its counties until the 28th of the next month (was the province's 25th); returns when every workflow has it. */
export async function changePolicy(api: SimApi): Promise<{ affected: unknown; fanOutMs: number }> {
  const t0 = performance.now();
  const saved = await api.call('nx.admin', 'PUT', '/api/regions/640100/policy', {
    note: '银川市：核查填报期限延至次月28日',
    overrides: { deadlines: { verification: { default: { kind: 'dayOfMonth', day: 28, monthOffset: 1, from: 'issuance' } } } },
  });
  if (saved.status !== 200) throw new Error(`policy change: ${saved.status} ${JSON.stringify(saved.body)}`);
  for (;;) {
    const progress = await api.call('nx.admin', 'GET', `/api/policy-broadcasts/${saved.body.broadcastWorkflowId}`);
    if (progress.status === 200 && progress.body.progress?.done) break;
    if (performance.now() - t0 > 300_000) throw new Error(`policy fan-out not done in 5 min: ${JSON.stringify(progress.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { affected: saved.body.affected, fanOutMs: performance.now() - t0 };
}

/** 督办: the province's supervisor looks at what is overdue and reminds up to 20 holders. */
export async function superviseOverdue(api: SimApi): Promise<number> {
  const overdue = await api.call('nx.supervisor', 'GET', '/api/supervision/overdue?regionCode=640000');
  if (overdue.status !== 200) throw new Error(`supervision: ${overdue.status} ${JSON.stringify(overdue.body)}`);
  const q = `filter=${encodeURIComponent(JSON.stringify({ status: 'open', overdue: true }))}&range=${encodeURIComponent('[0,19]')}`;
  const tasks = await api.call('nx.supervisor', 'GET', `/api/tasks?${q}`);
  const ids = (tasks.body as Array<{ id: string }>).map((t) => t.id);
  if (!ids.length) return 0;
  const res = await api.call('nx.supervisor', 'POST', '/api/supervision/remind', { taskIds: ids, message: '请抓紧办理逾期任务' });
  if (res.status !== 200) throw new Error(`remind: ${res.status} ${JSON.stringify(res.body)}`);
  return ids.length;
}
