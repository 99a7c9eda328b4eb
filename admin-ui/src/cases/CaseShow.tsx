/**
 * The case page: its stage, the party and facts, the patches (linked), the decision and its "six musts",
 * transfers with their feedback state, the rectification plan and rectification, every acceptance, the
 * quota entries it booked, its tasks, and its timeline (GET /api/audit?filter={"caseNo":…}).
 */
import { Alert, Box, Chip, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Show, useGetIdentity, useRecordContext, useTranslate } from 'react-admin';
import { inSubtree } from '../../../domain/regions';
import { Timeline } from '../audit/Timeline';
import { Rows } from '../common/Rows';
import { formatDateTime, formatMu } from '../format';
import { Section } from '../patches/Section';
import { CaseStatusChips } from './CaseStatusChips';
import type { CaseDetail, CaseTask, QuotaEntry } from './types';
import { EvidencePatchProvider } from '../evidence/context';
import { AcceptanceView, CasePatchesView, DecisionView, PartyView, PlanView, RectificationView, transferTarget } from './views';

const ACCEPTANCES = ['acceptance_county', 'acceptance_city', 'acceptance_province'];

function CaseTitle() {
  const c = useRecordContext<CaseDetail>();
  const translate = useTranslate();
  return <span>{c ? translate('case.title', { caseNo: c.caseNo }) : ''}</span>;
}

function Transfers({ c }: { c: CaseDetail }) {
  const translate = useTranslate();
  // A record from a list's cache has no transfers yet: the detail follows.
  if (!c.transfers?.length) return <Typography variant="body2">{translate('case.none')}</Typography>;
  return (
    <Stack spacing={1} data-testid="case-transfers">
      {c.transfers.map((t) => (
        <Box key={t.taskId} sx={{ p: 1, border: 1, borderColor: 'divider', borderRadius: 1 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {transferTarget(translate, { organ: t.context?.organ, department: t.context?.department })}
            </Typography>
            <Chip
              size="small"
              color={t.status === 'completed' ? 'success' : t.overdue ? 'error' : 'warning'}
              label={translate(t.status === 'completed' ? 'case.transferDone' : 'case.transferPending')}
            />
            {t.status !== 'completed' && (
              <Typography variant="caption">
                {translate('resources.tasks.fields.dueAt')} {formatDateTime(t.dueAt)}
              </Typography>
            )}
            <Link href={`#/tasks/${encodeURIComponent(t.taskId)}/show`} variant="caption">
              {translate('inbox.open')}
            </Link>
          </Stack>
          {t.result && (
            <Rows
              rows={[
                ['form.transferFeedback.receivedOn', t.result.receivedOn],
                ['form.transferFeedback.result', t.result.result],
                ['form.transferFeedback.documentNumber', t.result.documentNumber],
              ]}
            />
          )}
        </Box>
      ))}
    </Stack>
  );
}

function Acceptances({ tasks }: { tasks: CaseTask[] }) {
  const translate = useTranslate();
  const list = tasks.filter((t) => ACCEPTANCES.includes(t.type));
  if (!list.length) return <Typography variant="body2">{translate('case.notYet')}</Typography>;
  return (
    <Stack spacing={1} data-testid="case-acceptances">
      {list.map((t) => (
        <Stack key={t.id} direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <Typography variant="body2" sx={{ minWidth: 96, fontWeight: 500 }}>
            {translate(`enums.taskType.${t.type}`)}
          </Typography>
          {t.status === 'completed' && t.result ? (
            <AcceptanceView result={t.result as { decision: string; notes?: string; reason?: string; certificateNo?: string }} />
          ) : (
            <Chip size="small" variant="outlined" label={translate(`enums.taskStatus.${t.status}`)} />
          )}
          <Typography variant="caption" color="text.secondary">
            {[t.regionName, t.closedByName, formatDateTime(t.closedAt)].filter(Boolean).join(' · ')}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}

/** The case's tasks at every level; those of the reader's own subtree open their task page. */
function CaseTasks({ tasks }: { tasks: CaseTask[] }) {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  if (!tasks.length) return <Typography variant="body2">{translate('case.none')}</Typography>;
  const mine = (t: CaseTask) => identity?.regionCode && inSubtree(t.regionCode, String(identity.regionCode));
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="case-tasks" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            {['type', 'regionName', 'status', 'dueAt', 'closedByName', 'closedAt'].map((f) => (
              <TableCell key={f}>{translate(`resources.tasks.fields.${f}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {[...tasks].reverse().map((t) => (
            <TableRow key={t.id}>
              <TableCell>
                {mine(t) ? (
                  <Link href={`#/tasks/${encodeURIComponent(t.id)}/show`}>{translate(`enums.taskType.${t.type}`)}</Link>
                ) : (
                  translate(`enums.taskType.${t.type}`)
                )}
              </TableCell>
              <TableCell>{t.regionName}</TableCell>
              <TableCell>
                {translate(`enums.taskStatus.${t.status}`)}
                {t.status === 'open' && t.overdue ? ` · ${translate('app.overdue')}` : ''}
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.dueAt)}</TableCell>
              <TableCell>{t.closedByName ?? '—'}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.closedAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

export function QuotaEntries({ entries }: { entries: QuotaEntry[] }) {
  const translate = useTranslate();
  if (!entries.length) return <Typography variant="body2">{translate('case.none')}</Typography>;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="quota-entries" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
        <TableHead>
          <TableRow>
            {['at', 'account', 'kind', 'areaMu', 'patchCode', 'reason'].map((f) => (
              <TableCell key={f}>{translate(`resources.quota/ledger.fields.${f}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map((e) => (
            <TableRow key={e.id} data-kind={e.kind}>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</TableCell>
              <TableCell>{translate(`enums.quotaAccount.${e.account}`, { _: e.account })}</TableCell>
              <TableCell>{translate(`enums.quotaKind.${e.kind}`, { _: e.kind })}</TableCell>
              <TableCell>{formatMu(Number(e.areaMu))}</TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>{e.patchCode}</TableCell>
              <TableCell>{e.reason}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function CasePage() {
  const c = useRecordContext<CaseDetail>();
  const translate = useTranslate();
  if (!c) return null;
  const patches = (c.patches ?? []).map((p) => ({
    code: p.code,
    legality: p.legality,
    stage: p.stage,
    areas: p.determination?.areas ?? { totalMu: p.areaMu },
  }));
  return (
    <Stack spacing={2} sx={{ mt: 1, mb: 4 }}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
        <Typography variant="h5" component="h1" sx={{ wordBreak: 'break-all' }}>
          {translate('case.title', { caseNo: c.caseNo })}
        </Typography>
        <CaseStatusChips record={c} />
      </Stack>
      {c.mergedInto && (
        <Alert severity="info">
          <Link href={`#/cases/${encodeURIComponent(c.mergedInto)}/show`}>{translate('case.merged', { caseNo: c.mergedInto })}</Link>
        </Alert>
      )}
      {/* The problem ledger's chain: the case a re-check reopened from, and the cases reopened from this one. */}
      {c.previousCaseNo && (
        <Alert severity="warning" data-testid="case-previous">
          <Link href={`#/cases/${encodeURIComponent(c.previousCaseNo)}/show`}>{translate('case.previous', { caseNo: c.previousCaseNo })}</Link>
        </Alert>
      )}
      {(c.laterCases ?? []).map((l) => (
        <Alert severity="warning" key={l.caseNo} data-testid="case-later">
          <Link href={`#/cases/${encodeURIComponent(l.caseNo)}/show`}>{translate('case.later', { caseNo: l.caseNo })}</Link>
        </Alert>
      ))}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' } }}>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <Section title="case.summary" testId="case-summary">
            <Stack spacing={1}>
              <Rows
                rows={[
                  ['resources.cases.fields.regionName', `${c.regionName ?? ''}（${c.countyCode}）`],
                  ['resources.cases.fields.origin', translate(`enums.caseOrigin.${c.origin}`, { _: c.origin })],
                  [
                    'resources.cases.fields.illegalMu',
                    `${formatMu(c.illegalMu)}（${translate('resources.cases.fields.illegalFarmlandMu')} ${formatMu(c.illegalFarmlandMu)}）`,
                  ],
                  ['resources.cases.fields.openedAt', formatDateTime(c.openedAt)],
                  ['case.registeredAt', c.registeredAt ? formatDateTime(c.registeredAt) : undefined],
                  ['resources.cases.fields.dueAt', c.dueAt ? formatDateTime(c.dueAt) : undefined],
                  ['case.eliminatedAt', c.eliminatedAt ? formatDateTime(c.eliminatedAt) : undefined],
                  ['case.struckOffAt', c.struckOffAt ? formatDateTime(c.struckOffAt) : undefined],
                  ['case.certificate', c.certificateNo],
                  ['case.site', c.site],
                  ['case.facts', c.facts],
                ]}
              />
              <PartyView party={c.party} />
            </Stack>
          </Section>
          <Section title="case.patches">
            <CasePatchesView patches={patches} />
          </Section>
          <Section title="case.decision" testId="section-decision">
            {c.decision ? <DecisionView decision={c.decision} /> : <Typography variant="body2">{translate('case.notYet')}</Typography>}
          </Section>
          <Section title="case.transfers" testId="section-transfers">
            <Transfers c={c} />
          </Section>
          <Section title="case.rectification" testId="section-rectification">
            {c.rectificationPlan || c.rectification ? (
              <Stack spacing={1.5}>
                {c.rectificationPlan && (
                  <Box>
                    <Typography variant="subtitle2">{translate('case.plan')}</Typography>
                    <PlanView plan={c.rectificationPlan} />
                  </Box>
                )}
                {c.rectification && (
                  // The rectification's evidence was uploaded for the case's primary patch.
                  <EvidencePatchProvider patchCode={c.primaryPatchCode ?? c.patches?.[0]?.code ?? ''}>
                    <RectificationView rectification={c.rectification} />
                  </EvidencePatchProvider>
                )}
              </Stack>
            ) : (
              <Typography variant="body2">{translate('case.notYet')}</Typography>
            )}
          </Section>
          <Section title="case.acceptances" testId="section-acceptances">
            <Acceptances tasks={c.tasks ?? []} />
          </Section>
          <Section title="case.quota" testId="section-quota">
            <QuotaEntries entries={c.ledger ?? []} />
          </Section>
          <Section title="case.tasks">
            <CaseTasks tasks={c.tasks ?? []} />
          </Section>
        </Stack>
        <Box sx={{ minWidth: 0 }}>
          <Section title="case.timeline" testId="section-timeline">
            <Timeline caseNo={c.caseNo} />
          </Section>
        </Box>
      </Box>
    </Stack>
  );
}

export function CaseShow() {
  return (
    <Show title={<CaseTitle />} actions={false} component="div" emptyWhileLoading>
      <CasePage />
    </Show>
  );
}
