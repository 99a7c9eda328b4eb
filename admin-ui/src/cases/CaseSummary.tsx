/** A case in brief, on the page of one of its tasks: stage, party, site, facts, patches, path. */
import { Link, Stack } from '@mui/material';
import { useGetOne, useTranslate } from 'react-admin';
import { Rows } from '../common/Rows';
import { formatMu } from '../format';
import { CaseStatusChips } from './CaseStatusChips';
import type { CaseDetail } from './types';

export function CaseSummary({ caseNo }: { caseNo: string }) {
  const translate = useTranslate();
  const { data: c } = useGetOne<CaseDetail>('cases', { id: caseNo });
  if (!c) return null;
  return (
    <Stack spacing={1} data-testid="case-summary">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Link href={`#/cases/${encodeURIComponent(caseNo)}/show`} sx={{ fontWeight: 500 }}>
          {caseNo}
        </Link>
        <CaseStatusChips record={c} />
      </Stack>
      <Rows
        rows={[
          ['case.party', c.party ? `${c.party.name}（${translate(`enums.partyKind.${c.party.kind}`)}）` : undefined],
          ['case.site', c.site],
          ['case.facts', c.facts],
          [
            'resources.cases.fields.illegalMu',
            `${formatMu(c.illegalMu)}（${translate('resources.cases.fields.illegalFarmlandMu')} ${formatMu(c.illegalFarmlandMu)}）`,
          ],
          ['resources.cases.fields.path', c.path ? translate(`enums.rectificationPath.${c.path}`) : undefined],
          ['case.patches', c.patches?.length ? c.patches.map((p) => p.code).join('、') : undefined],
        ]}
      />
    </Stack>
  );
}
