/**
 * Read-only views of what a case records: the party, the decision and its "six musts", the
 * rectification plan and the rectification, an acceptance, the patches — shown on the case page and as
 * the context of the case's tasks.
 */
import { Box, Chip, Link, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { EvidenceCard, type EvidenceEntry } from '../evidence/EvidenceCard';
import { formatMu } from '../format';
import { Rows, YesNo } from '../common/Rows';
import { UserText } from '../common/UserText';
import { colon, joinList, paren } from '../i18n/punctuation';

export type { CaseDecision, Party } from '../../../domain/cases';
import type { CaseDecision, Party } from '../../../domain/cases';

export interface Rectification {
  completedOn: string;
  rectifiedMu: number;
  notes?: string;
  evidence?: EvidenceEntry[];
  approval?: { type: string; documentNumber: string; date: string };
  confiscationDocument?: string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** An amount of money: "120,000 元" / "CNY 120,000". */
export const yuan = (translate: Translate, n: number | undefined) =>
  typeof n === 'number' ? translate('case.yuan', { amount: n.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) }) : '—';

export function PartyView({ party }: { party?: Party | null }) {
  const translate = useTranslate();
  if (!party) return null;
  return (
    <Rows
      testId="party-view"
      rows={[
        [
          'case.party',
          <span key="party">
            <UserText>{party.name}</UserText>
            {paren(translate, translate(`enums.partyKind.${party.kind}`, { _: party.kind }))}
          </span>,
        ],
        ['form.caseRegister.idNumber', party.idNumber && <UserText>{party.idNumber}</UserText>],
        ['form.caseRegister.contact', party.contact && <UserText>{party.contact}</UserText>],
      ]}
    />
  );
}

/** The decision with its "six musts" (六个该), each marked done or not. */
export function DecisionView({ decision }: { decision?: CaseDecision | null }) {
  const translate = useTranslate();
  if (!decision) return null;
  const fine = decision.fine;
  return (
    <Stack spacing={1} data-testid="decision-view">
      <Rows
        rows={[
          ['form.caseDecision.documentNumber', <UserText key="doc">{decision.documentNumber}</UserText>],
          ['form.caseDecision.decidedOn', decision.decidedOn],
          ['form.caseDecision.path', translate(`enums.rectificationPath.${decision.path}`, { _: decision.path })],
        ]}
      />
      <Typography variant="subtitle2">{translate('form.caseDecision.sixMusts')}</Typography>
      <Rows
        labelWidth={180}
        rows={[
          [
            'case.musts.fine',
            <span key="fine">
              {yuan(translate, fine.amountYuan)} · {translate(fine.collected ? 'case.collected' : 'case.notCollected')}
              {fine.collected && fine.collectedYuan !== undefined ? paren(translate, yuan(translate, fine.collectedYuan)) : ''}
            </span>,
          ],
          [
            'case.musts.confiscation',
            <span key="c">
              <YesNo value={decision.confiscation} />
              {decision.confiscationNote ? (
                <>
                  {' '}
                  · <UserText>{decision.confiscationNote}</UserText>
                </>
              ) : (
                ''
              )}
            </span>,
          ],
          ['case.musts.demolition', <YesNo key="d" value={decision.demolition} />],
          ['case.musts.recultivation', <YesNo key="r" value={decision.recultivation} />],
          ['case.musts.discipline', <YesNo key="di" value={decision.disciplineReferral} />],
          ['case.musts.criminal', <YesNo key="cr" value={decision.criminalReferral} />],
          [
            'form.caseDecision.departments',
            decision.departments.length
              ? joinList(
                  translate,
                  decision.departments.map((d) => translate(`enums.department.${d}`, { _: d })),
                )
              : translate('case.none'),
          ],
        ]}
      />
    </Stack>
  );
}

export function PlanView({ plan }: { plan?: { responsiblePerson: string; measures: string; plannedBy: string } | null }) {
  if (!plan) return null;
  return (
    <Rows
      testId="plan-view"
      rows={[
        ['form.rectificationPlan.responsiblePerson', <UserText key="p">{plan.responsiblePerson}</UserText>],
        ['form.rectificationPlan.measures', <UserText key="m">{plan.measures}</UserText>],
        ['form.rectificationPlan.plannedBy', plan.plannedBy],
      ]}
    />
  );
}

export function RectificationView({ rectification: r }: { rectification?: Rectification | null }) {
  const translate = useTranslate();
  if (!r) return null;
  return (
    <Stack spacing={1} data-testid="rectification-view">
      <Rows
        rows={[
          ['form.rectification.completedOn', r.completedOn],
          ['form.rectification.rectifiedMu', formatMu(r.rectifiedMu)],
          r.approval && [
            'form.rectification.approval',
            <span key="a">
              {translate(`enums.approvalType.${r.approval.type}`, { _: r.approval.type })} · <UserText>{r.approval.documentNumber}</UserText> ·{' '}
              {r.approval.date}
            </span>,
          ],
          ['form.rectification.confiscationDocument', r.confiscationDocument && <UserText>{r.confiscationDocument}</UserText>],
          ['form.notes', r.notes && <UserText>{r.notes}</UserText>],
        ]}
      />
      {r.evidence && r.evidence.length > 0 && (
        <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
          {r.evidence.map((e) => (
            <EvidenceCard key={e.sha256} entry={e} />
          ))}
        </Box>
      )}
    </Stack>
  );
}

/** An acceptance result (the county's before the city's, …). */
export function AcceptanceView({ result }: { result?: { decision: string; notes?: string; reason?: string; certificateNo?: string } | null }) {
  const translate = useTranslate();
  if (!result) return null;
  const passed = result.decision !== 'reject';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Chip size="small" color={passed ? 'success' : 'error'} label={translate(`form.acceptance.${result.decision}`, { _: result.decision })} />
      {result.certificateNo && (
        <Typography variant="body2">
          {translate('form.acceptance.certificateNo')}
          {colon(translate)}
          <UserText>{result.certificateNo}</UserText>
        </Typography>
      )}
      {(result.notes || result.reason) && (
        <Typography variant="body2">
          <UserText>{result.notes ?? result.reason}</UserText>
        </Typography>
      )}
    </Stack>
  );
}

/** Where the case went: judicial organs, discipline inspection, or a department. */
export function transferTarget(translate: (k: string, o?: object) => string, t: { organ?: string; department?: string | null }): string {
  const organ = translate(`enums.transferOrgan.${t.organ}`, { _: t.organ ?? '' });
  return t.department ? `${organ}${paren(translate, translate(`enums.department.${t.department}`, { _: t.department }))}` : organ;
}

export interface CasePatchSummary {
  code: string;
  legality?: string | null;
  areas?: { totalMu?: number; farmlandMu?: number };
  areaMu?: number;
  stage?: string;
}

/** The patches of a case, each linking to its page. */
export function CasePatchesView({ patches }: { patches: CasePatchSummary[] }) {
  const translate = useTranslate();
  return (
    <Stack spacing={0.5} data-testid="case-patches">
      {patches.map((p) => (
        <Stack key={p.code} direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Link href={`#/patches/${encodeURIComponent(p.code)}/show`} sx={{ wordBreak: 'break-all' }}>
            {p.code}
          </Link>
          {p.legality && <Chip size="small" color={p.legality === 'illegal' ? 'error' : 'default'} label={translate(`enums.legality.${p.legality}`)} />}
          {p.stage && <Typography variant="caption">{translate(`enums.stage.${p.stage}`, { _: p.stage })}</Typography>}
          {p.areas && (
            <Typography variant="caption" color="text.secondary">
              {translate('form.determination.totalMu')} {formatMu(p.areas.totalMu)} · {translate('form.determination.farmlandMu')}{' '}
              {formatMu(p.areas.farmlandMu)}
            </Typography>
          )}
        </Stack>
      ))}
    </Stack>
  );
}
