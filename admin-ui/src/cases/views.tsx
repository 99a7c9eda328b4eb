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

export const yuan = (n: number | undefined) => (typeof n === 'number' ? `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元` : '—');

export function PartyView({ party }: { party?: Party | null }) {
  const translate = useTranslate();
  if (!party) return null;
  return (
    <Rows
      testId="party-view"
      rows={[
        ['case.party', `${party.name}（${translate(`enums.partyKind.${party.kind}`, { _: party.kind })}）`],
        ['form.caseRegister.idNumber', party.idNumber],
        ['form.caseRegister.contact', party.contact],
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
          ['form.caseDecision.documentNumber', decision.documentNumber],
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
              {yuan(fine.amountYuan)} · {translate(fine.collected ? 'case.collected' : 'case.notCollected')}
              {fine.collected && fine.collectedYuan !== undefined ? `（${yuan(fine.collectedYuan)}）` : ''}
            </span>,
          ],
          ['case.musts.confiscation', <span key="c"><YesNo value={decision.confiscation} />{decision.confiscationNote ? ` · ${decision.confiscationNote}` : ''}</span>],
          ['case.musts.demolition', <YesNo key="d" value={decision.demolition} />],
          ['case.musts.recultivation', <YesNo key="r" value={decision.recultivation} />],
          ['case.musts.discipline', <YesNo key="di" value={decision.disciplineReferral} />],
          ['case.musts.criminal', <YesNo key="cr" value={decision.criminalReferral} />],
          [
            'form.caseDecision.departments',
            decision.departments.length ? decision.departments.map((d) => translate(`enums.department.${d}`, { _: d })).join('、') : translate('case.none'),
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
        ['form.rectificationPlan.responsiblePerson', plan.responsiblePerson],
        ['form.rectificationPlan.measures', plan.measures],
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
            `${translate(`enums.approvalType.${r.approval.type}`, { _: r.approval.type })} · ${r.approval.documentNumber} · ${r.approval.date}`,
          ],
          ['form.rectification.confiscationDocument', r.confiscationDocument],
          ['form.notes', r.notes],
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
      {result.certificateNo && <Typography variant="body2">{translate('form.acceptance.certificateNo')}：{result.certificateNo}</Typography>}
      {(result.notes || result.reason) && <Typography variant="body2">{result.notes ?? result.reason}</Typography>}
    </Stack>
  );
}

/** Where the case went: judicial organs, discipline inspection, or a department. */
export function transferTarget(translate: (k: string, o?: object) => string, t: { organ?: string; department?: string | null }): string {
  const organ = translate(`enums.transferOrgan.${t.organ}`, { _: t.organ ?? '' });
  return t.department ? `${organ}（${translate(`enums.department.${t.department}`, { _: t.department })}）` : organ;
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
              {translate('form.determination.totalMu')} {formatMu(p.areas.totalMu)} · {translate('form.determination.farmlandMu')} {formatMu(p.areas.farmlandMu)}
            </Typography>
          )}
        </Stack>
      ))}
    </Stack>
  );
}
