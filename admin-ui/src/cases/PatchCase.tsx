/** The patch page's case section: the case(s) the patch belongs to, or that one is being opened. */
import { Link, Stack, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import { CaseStatusChips } from './CaseStatusChips';
import type { CaseRecord } from './types';

export function PatchCase({ patchCode, legality }: { patchCode: string; legality?: string | null }) {
  const translate = useTranslate();
  const { data, isPending } = useGetList<CaseRecord>('cases', {
    filter: { patchCode },
    sort: { field: 'openedAt', order: 'DESC' },
    pagination: { page: 1, perPage: 10 },
  });
  if (isPending) return null;
  if (!data?.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate(legality === 'illegal' ? 'case.casePending' : 'case.caseNone')}
      </Typography>
    );
  }
  // The case in force first; a case merged into another is listed after it.
  const ordered = [...data].sort((a, b) => Number(a.status === 'merged') - Number(b.status === 'merged'));
  return (
    <Stack spacing={1} data-testid="patch-case">
      {ordered.map((c) => (
        <Stack key={c.caseNo} direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
          <Link href={`#/cases/${encodeURIComponent(c.caseNo)}/show`} sx={{ fontWeight: 500 }}>
            {c.caseNo}
          </Link>
          <CaseStatusChips record={c} />
          {c.party?.name && <Typography variant="body2">{c.party.name}</Typography>}
          {c.path && <Typography variant="body2">{translate(`enums.rectificationPath.${c.path}`)}</Typography>}
        </Stack>
      ))}
    </Stack>
  );
}
