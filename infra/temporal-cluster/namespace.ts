/**
 * A self-hosted cluster starts with no namespace (the dev server makes its own): the project's is
 * registered once, with its custom search attributes, and waited for until the frontend serves it.
 * SQL visibility on PostgreSQL holds at most 10 Keyword, 3 Bool and 3 Datetime custom attributes; the
 * project uses 8, 1 and 1 (domain/search-attributes.ts).
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from '../search-attributes';

export async function ensureNamespace(address: string, namespace: string, opts: { retentionDays?: number; timeoutMs?: number } = {}): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${opts.retentionDays ?? 30} days`) })
        .catch((err: { code?: number }) => {
          if (err.code !== 6) throw err; // ALREADY_EXISTS: another start registered it meanwhile
        });
    }
    // The frontend's namespace cache refreshes every few seconds: retry until it adds the attributes.
    const until = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      try {
        await registerSearchAttributes(connection, namespace);
        const listed = await connection.operatorService.listSearchAttributes({ namespace });
        if ('CountyCode' in (listed.customAttributes ?? {})) return;
      } catch (err) {
        if (Date.now() > until) throw err;
      }
      if (Date.now() > until) throw new Error(`namespace ${namespace} has no search attributes after ${(opts.timeoutMs ?? 60_000) / 1000} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}
