/**
 * Notifications to the supervisors of a region (overdue work, escalations) and to the holders of a task
 * (reminders). Keyed, so a retried activity notifies once. Each notice stores its facts (`params`, from
 * which the UI writes it in its own language) and the server's Chinese text written from them (title,
 * body). Delivery beyond the in-app inbox (SMS, 政务微信) is outside the system.
 */
import type { DbOrTx } from './client';
import { notifications } from './schema';
import { noticeText, type NoticeKind, type NoticeParams } from '../domain/notifications';

export interface Notice {
  key: string;
  regionCode: string;
  role: 'supervisor' | 'reviewer' | 'officer' | 'administrator';
  /** Set for a notice to one user; otherwise it is for the region's role. */
  userId?: number | null;
  kind: NoticeKind;
  params: NoticeParams;
  patchCode?: string;
  taskId?: string;
  /** About a restricted (military) task: shown only to users with the classified-handling permission. */
  restricted?: boolean;
}

/** The row to insert: the notice with its Chinese title and body. */
export const noticeRow = (n: Notice) => ({ ...n, ...noticeText(n.kind, n.params) });

export async function notify(db: DbOrTx, n: Notice): Promise<void> {
  await db.insert(notifications).values(noticeRow(n)).onConflictDoNothing({ target: notifications.key });
}
