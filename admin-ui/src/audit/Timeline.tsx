/** Every action on a patch or a case, oldest first, with who and when (GET /api/audit?filter={"patchCode"|"caseNo":…}). */
import { Box, Skeleton, Stack, Typography } from '@mui/material';
import { Fragment, type ReactNode } from 'react';
import { useGetList, useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { Interpolated } from '../i18n/Interpolated';
import { joinList } from '../i18n/punctuation';
import { formatDateTime } from '../format';
import { coverageText, pct, type Coverage } from '../tasks/TaskContext';
import { actionLabel } from './actionLabel';

interface AuditRow {
  id: number;
  at: string;
  /** Null for the system (the workflows). */
  actorId?: number | null;
  actorName: string;
  action: string;
  taskId?: string | null;
  after?: Record<string, unknown> | null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Parts joined with " · ". */
const dotted = (parts: ReactNode[]) => (
  <>
    {parts.map((p, i) => (
      <Fragment key={i}>
        {i > 0 ? ' · ' : ''}
        {p}
      </Fragment>
    ))}
  </>
);

/** A short detail where the entry has one worth showing; names, reasons and messages are user content. */
function detail(translate: Translate, row: AuditRow): ReactNode | undefined {
  const a = row.after ?? {};
  const to = (name: string) => <Interpolated k="audit.to" values={{ name: <UserText>{name}</UserText> }} />;
  if (typeof a.assigneeName === 'string') {
    // "已由 X 认领" / "指派给 X", not "认领任务 给 X".
    const key = row.action === 'task.claimed' ? 'audit.claimedBy' : row.action === 'task.assigned' ? 'audit.assignedTo' : 'audit.to';
    return <Interpolated k={key} values={{ name: <UserText>{a.assigneeName}</UserText> }} />;
  }
  if (row.action === 'task.reminded') {
    const parts: ReactNode[] = [];
    // To the assignee by name, or to a region's officers / reviewers ("640104:officer").
    const role = typeof a.to === 'string' ? /^(\d{6}):(\w+)$/.exec(a.to) : null;
    if (role) parts.push(translate('audit.toRole', { region: role[1], role: translate(`enums.role.${role[2]}`, { _: role[2] }) }));
    else if (typeof a.to === 'string') parts.push(to(a.to));
    if (typeof a.message === 'string' && a.message) parts.push(<UserText>{a.message}</UserText>);
    return parts.length ? dotted(parts) : undefined;
  }
  if (row.action === 'extension.applied' && typeof a.dueAt === 'string') return translate('audit.extendedTo', { at: formatDateTime(a.dueAt) });
  if (row.action === 'review.coverage') {
    if (a.selected) return coverageText(translate, a as unknown as Coverage);
    const level = translate(`enums.reviewLevel.${a.level}`, { _: String(a.level ?? '') });
    // A level that samples none of this class drew nothing worth showing.
    if (typeof a.rate !== 'number' || a.rate <= 0 || typeof a.draw !== 'number') return `${level} · ${translate('audit.notSampled')}`;
    return `${level} · ${translate('audit.notSelected', { draw: pct(a.draw), rate: pct(a.rate) })}`;
  }
  if (row.action.startsWith('quota.') && typeof a.areaMu === 'number') {
    const account = translate(`audit.quotaAccount.${String(a.account)}`, { _: String(a.account ?? '') });
    return translate('audit.quotaArea', { mu: a.areaMu, account });
  }
  if (row.action === 'case.patches_linked' && Array.isArray(a.linked) && a.linked.length)
    return translate('audit.linked', { codes: joinList(translate, a.linked as string[]) });
  const result = a.result as
    | {
        determination?: { legality?: string };
        decision?: string;
        reason?: string;
        certificateNo?: string;
        documentNumber?: string;
        finding?: string;
        path?: string;
      }
    | undefined;
  const legality = result?.determination?.legality ?? (typeof a.legality === 'string' ? a.legality : undefined);
  const parts: ReactNode[] = [];
  if (legality) parts.push(translate(`enums.legality.${legality}`));
  if (result?.path) parts.push(translate(`enums.rectificationPath.${result.path}`, { _: result.path }));
  if (result?.finding) parts.push(translate(`form.recheck.${result.finding}`, { _: result.finding }));
  if (result?.certificateNo) parts.push(<Interpolated k="audit.certificate" values={{ no: <UserText>{result.certificateNo}</UserText> }} />);
  else if (result?.documentNumber) parts.push(<Interpolated k="audit.document" values={{ no: <UserText>{result.documentNumber}</UserText> }} />);
  if (result?.reason) parts.push(<UserText>{result.reason}</UserText>);
  if (parts.length) return dotted(parts);
  if (row.action.endsWith('.opened') && typeof a.dueAt === 'string') return translate('audit.due', { at: formatDateTime(a.dueAt) });
  if (row.action === 'evidence.uploaded' && typeof a.name === 'string') return <UserText>{a.name}</UserText>;
  return undefined;
}

/** The decision a completion's result records (review: pass / send_back, …), if any. */
const decisionOf = (row: AuditRow): string | undefined => {
  const decision = (row.after?.result as { decision?: unknown } | undefined)?.decision;
  return typeof decision === 'string' ? decision : undefined;
};

export function Timeline({ patchCode, caseNo }: { patchCode?: string; caseNo?: string }) {
  const translate = useTranslate();
  const { data, isPending } = useGetList<AuditRow>('audit', {
    filter: caseNo ? { caseNo } : { patchCode },
    sort: { field: 'at', order: 'ASC' },
    pagination: { page: 1, perPage: 500 },
  });
  if (isPending) return <Skeleton height={120} />;
  if (!data?.length) return <Typography variant="body2">{translate('audit.empty')}</Typography>;
  return (
    <Stack component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} data-testid="timeline">
      {data.map((row) => {
        const more = detail(translate, row);
        return (
          <Box
            component="li"
            key={row.id}
            data-action={row.action}
            data-decision={decisionOf(row)}
            sx={{ position: 'relative', pl: 2.5, pb: 1.5, borderLeft: 2, borderColor: 'divider', ml: 0.75, '&:last-child': { pb: 0 } }}
          >
            <Box sx={{ position: 'absolute', left: -7, top: 4, width: 12, height: 12, borderRadius: '50%', bgcolor: 'primary.main' }} />
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {actionLabel(translate, row.action, decisionOf(row))}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              {formatDateTime(row.at)} · {row.actorId && row.actorName ? <UserText>{row.actorName}</UserText> : translate('audit.system')}
            </Typography>
            {more && (
              <Typography variant="caption" component="div">
                {more}
              </Typography>
            )}
          </Box>
        );
      })}
    </Stack>
  );
}
