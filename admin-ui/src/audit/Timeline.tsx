/** Every action on a patch, oldest first, with who and when (GET /api/audit?filter={"patchCode":…}). */
import { Box, Skeleton, Stack, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
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
  const result = a.result as { determination?: { legality?: string }; decision?: string; reason?: string } | undefined;
  const legality = result?.determination?.legality ?? (typeof a.legality === 'string' ? a.legality : undefined);
  const parts: string[] = [];
  if (legality) parts.push(translate(`enums.legality.${legality}`));
  if (result?.reason) parts.push(result.reason);
  if (parts.length) return parts.join(' · ');
  if (row.action.endsWith('.opened') && typeof a.dueAt === 'string') return translate('audit.due', { at: formatDateTime(a.dueAt) });
  if (row.action === 'evidence.uploaded' && typeof a.name === 'string') return a.name;
  return undefined;
}

export function Timeline({ patchCode }: { patchCode: string }) {
  const translate = useTranslate();
  const { data, isPending } = useGetList<AuditRow>('audit', {
    filter: { patchCode },
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
