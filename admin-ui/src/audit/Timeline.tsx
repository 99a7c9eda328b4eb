/** Every action on a patch or a case, oldest first, with who and when (GET /api/audit?filter={"patchCode"|"caseNo":…}). */
import { Box, Skeleton, Stack, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
import { coverageText, type Coverage } from '../tasks/TaskContext';
import { actionLabel } from './actionLabel';

interface AuditRow {
  id: number;
  at: string;
  actorName: string;
  action: string;
  taskId?: string | null;
  after?: Record<string, unknown> | null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A short detail where the entry has one worth showing. */
function detail(translate: Translate, row: AuditRow): string | undefined {
  const a = row.after ?? {};
  if (typeof a.assigneeName === 'string') return translate('audit.to', { name: a.assigneeName });
  if (row.action === 'task.reminded') return [typeof a.to === 'string' ? translate('audit.to', { name: a.to }) : '', typeof a.message === 'string' ? a.message : ''].filter(Boolean).join(' · ');
  if (row.action === 'extension.applied' && typeof a.dueAt === 'string') return translate('audit.extendedTo', { at: formatDateTime(a.dueAt) });
  if (row.action === 'review.coverage') {
    if (a.selected) return coverageText(translate, a as unknown as Coverage);
    const level = translate(`enums.reviewLevel.${a.level}`, { _: String(a.level ?? '') });
    return `${level} · ${translate('audit.notSelected', { draw: typeof a.draw === 'number' ? a.draw.toFixed(4) : '—', rate: typeof a.rate === 'number' ? `${Math.round(a.rate * 1000) / 10}%` : '—' })}`;
  }
  if (row.action === 'case.patches_linked' && Array.isArray(a.linked) && a.linked.length) return translate('audit.linked', { codes: a.linked.join('、') });
  const result = a.result as
    | { determination?: { legality?: string }; decision?: string; reason?: string; certificateNo?: string; documentNumber?: string; finding?: string; path?: string }
    | undefined;
  const legality = result?.determination?.legality ?? (typeof a.legality === 'string' ? a.legality : undefined);
  const parts: string[] = [];
  if (legality) parts.push(translate(`enums.legality.${legality}`));
  if (result?.path) parts.push(translate(`enums.rectificationPath.${result.path}`, { _: result.path }));
  if (result?.finding) parts.push(translate(`form.recheck.${result.finding}`, { _: result.finding }));
  if (result?.certificateNo) parts.push(translate('audit.certificate', { no: result.certificateNo }));
  else if (result?.documentNumber) parts.push(translate('audit.document', { no: result.documentNumber }));
  if (result?.reason) parts.push(result.reason);
  if (parts.length) return parts.join(' · ');
  if (row.action.endsWith('.opened') && typeof a.dueAt === 'string') return translate('audit.due', { at: formatDateTime(a.dueAt) });
  if (row.action === 'evidence.uploaded' && typeof a.name === 'string') return a.name;
  return undefined;
}

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
            sx={{ position: 'relative', pl: 2.5, pb: 1.5, borderLeft: 2, borderColor: 'divider', ml: 0.75, '&:last-child': { pb: 0 } }}
          >
            <Box sx={{ position: 'absolute', left: -7, top: 4, width: 12, height: 12, borderRadius: '50%', bgcolor: 'primary.main' }} />
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {actionLabel(translate, row.action)}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              {formatDateTime(row.at)} · {row.actorName || translate('audit.system')}
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
