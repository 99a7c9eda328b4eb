/** Every version of the region's overrides: who changed it, when, why, which parts, and how far it went out. */
import { Box, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { formatDateTime } from '../format';

export interface VersionRow {
  id: number;
  version: number;
  overrides: Record<string, unknown>;
  note?: string | null;
  createdAt: string;
  createdByName?: string | null;
  broadcastSignalled?: number | null;
  broadcastDoneAt?: string | null;
}

/** The versions, newest first, as the editor loaded them (GET /api/regions/:code/policy/versions). */
export function Versions({ rows: data }: { rows?: VersionRow[] }) {
  const translate = useTranslate();
  if (!data?.length) return <Typography variant="body2">{translate('policy.noVersions')}</Typography>;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="policy-versions" sx={{ '& td': { verticalAlign: 'top' }, '& th, & td:not(:nth-of-type(4))': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('policy.version')}</TableCell>
            <TableCell>{translate('policy.changedAt')}</TableCell>
            <TableCell>{translate('policy.changedBy')}</TableCell>
            <TableCell>{translate('policy.note')}</TableCell>
            <TableCell>{translate('policy.parts')}</TableCell>
            <TableCell>{translate('policy.broadcast')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((v) => (
            <TableRow key={v.id} data-version={v.version}>
              <TableCell>v{v.version}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.createdAt)}</TableCell>
              <TableCell>{v.createdByName ? <UserText>{v.createdByName}</UserText> : translate('audit.system')}</TableCell>
              <TableCell sx={{ minWidth: 160 }}>
                <UserText>{v.note}</UserText>
              </TableCell>
              <TableCell>
                <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
                  {Object.keys(v.overrides ?? {}).map((k) => (
                    <Chip key={k} size="small" variant="outlined" label={translate(`policy.sections.${k === 'onsiteChecks' ? 'onsite' : k}`, { _: k })} />
                  ))}
                </Stack>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {v.broadcastDoneAt
                  ? translate('policy.broadcastDoneShort', { n: v.broadcastSignalled ?? '—' })
                  : v.broadcastSignalled === null || v.broadcastSignalled === undefined
                    ? '—'
                    : translate('policy.broadcastRunning')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
