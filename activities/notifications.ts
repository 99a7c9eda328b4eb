/**
 * Notifications to the supervisors of a region (overdue work, escalations). Keyed, so a retried
 * activity notifies once. Delivery beyond the in-app inbox (SMS, 政务微信) is outside the system.
 */
import { notifications } from '../db/schema';
import type { DbOrTx } from './audit';

export interface Notice {
  key: string;
  regionCode: string;
  role: 'supervisor' | 'reviewer' | 'officer' | 'administrator';
  kind: 'overdue' | 'escalation' | 'extension' | 'reminder' | 'case';
  title: string;
  body?: string;
  patchCode?: string;
  taskId?: string;
  /** About a restricted (military) task: shown only to users with the classified-handling permission. */
  restricted?: boolean;
}

export async function notify(db: DbOrTx, n: Notice): Promise<void> {
  await db.insert(notifications).values(n).onConflictDoNothing({ target: notifications.key });
}
