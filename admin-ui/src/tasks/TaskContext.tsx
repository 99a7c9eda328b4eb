/**
 * What the task is about, read-only, from the task's `context` (written by the workflow when it opens the
 * task): the determination under review and why this level reviews it (coverage, the sampling draw), the
 * send-back reason, the on-site threshold that triggered the check, the region's rules for the form, the
 * extension request, the case's patches, party, plan and rectification under acceptance… Every known key
 * has its own view; an unknown one is shown as label / value pairs, never as raw JSON.
 */
import { Box, Link, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { Rows, type RowSpec } from '../common/Rows';
import {
  AcceptanceView,
  CasePatchesView,
  PartyView,
  PlanView,
  RectificationView,
  transferTarget,
  type CasePatchSummary,
  type Party,
  type Rectification,
} from '../cases/views';
import { UserText } from '../common/UserText';
import { formatDateTime, formatMu } from '../format';
import { colon, joinList, joinSemi, paren } from '../i18n/punctuation';
import { DeterminationView, type DeterminationData } from './DeterminationView';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface Coverage {
  level: string;
  regionCode?: string;
  selected: boolean;
  reason: 'all' | 'sample' | 'farmland' | 'red_line' | 'recultivation' | 'mineral';
  draw?: number;
  rate?: number;
}

export interface Threshold {
  metric: string;
  minMu: number;
  legalities?: string[];
  categories?: string[];
}

export const pct = (n: number) => `${(n * 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}%`;

/**
 * Why this level reviews the patch: everything, a required condition, or the sampling draw. The draw is
 * shown only where the level samples (a share below 100%), in words and as a share like the rate; where
 * every patch of the class, or of the condition, is reviewed, it decided nothing and is not shown.
 */
export function coverageText(translate: Translate, c: Coverage): string {
  const level = translate(`enums.reviewLevel.${c.level}`, { _: c.level });
  if (c.reason === 'all' || (c.reason === 'sample' && (c.rate ?? 0) >= 1)) return translate('task.coverage.all', { level });
  if (c.reason === 'sample') return translate('task.coverage.sample', { level, draw: pct(c.draw ?? 0), rate: pct(c.rate ?? 0) });
  const condition = translate(`enums.alwaysReview.${c.reason}`, { _: c.reason });
  return translate('task.coverage.always', { level, condition });
}

/** "Farmland ≥ 20 mu (illegal; facility agriculture …)". */
export function thresholdText(translate: Translate, t: Threshold): string {
  const parts = [`${translate(`enums.areaMetric.${t.metric}`, { _: t.metric })} ≥ ${formatMu(t.minMu)} ${translate('task.mu')}`];
  const scope = [
    (t.legalities ?? ['illegal']).map((l) => translate(`enums.legality.${l}`)).join('/'),
    ...(t.categories ?? []).map((c) => translate(`enums.category.${c}`)),
  ];
  return `${parts[0]}${paren(translate, joinList(translate, scope))}`;
}

const AREA_OF: Record<string, keyof NonNullable<DeterminationData['areas']>> = {
  farmlandMu: 'farmlandMu',
  basicFarmlandMu: 'basicFarmlandMu',
  redLineMu: 'redLineMu',
  totalMu: 'totalMu',
};

type RulesValue = { forbidOtherFor?: string[]; farmlandFlags?: string[]; evidence?: { illegal: number; legalWithoutApproval: number } };

/** `countyFiling`: the county's own determination, the one the evidence rule applies to. */
export function RulesView({ rules, countyFiling = false }: { rules: RulesValue; countyFiling?: boolean }) {
  const translate = useTranslate();
  const evidence = countyFiling ? rules.evidence : undefined;
  const photos = (k: 'illegal' | 'legalWithoutApproval') =>
    `${translate(`policy.evidenceFor.${k}`)}${colon(translate)}${evidence && evidence[k] > 0 ? translate('policy.evidencePhotos', { n: evidence[k] }) : translate('policy.evidenceNone')}`;
  return (
    <Rows
      testId="task-rules"
      rows={[
        evidence !== undefined && ['task.rules.evidence', joinSemi(translate, [photos('illegal'), photos('legalWithoutApproval')])],
        [
          'task.rules.farmlandFlags',
          rules.farmlandFlags?.length
            ? joinSemi(
                translate,
                rules.farmlandFlags.map((f) => translate(`enums.farmlandFlag.${f}`)),
              )
            : translate('case.none'),
        ],
        [
          'task.rules.forbidOtherFor',
          rules.forbidOtherFor?.length
            ? joinList(
                translate,
                rules.forbidOtherFor.map((c) => translate(`enums.category.${c}`)),
              )
            : translate('task.rules.noneForbidden'),
        ],
      ]}
    />
  );
}

/** The label of `reason` depends on the task: a send-back, a refusal, a request, a rejected acceptance. */
function reasonLabel(type: string | undefined, context: Record<string, unknown>): string {
  if (context.rejectedBy) return 'task.rejectionReason';
  if (type === 'direct_determination') return 'task.declineReason';
  if (type === 'extension_decision') return 'task.requestReason';
  if (type === 'split_review') return 'split.splitReason';
  if (type === 'merge_review') return 'merge.reason';
  return 'task.sentBackReason';
}

/** Label / value pairs of an object of unknown shape (nested objects flattened one level). */
function plainRows(translate: Translate, value: unknown, prefix = ''): RowSpec[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [[prefix, <UserText key={prefix}>{String(value)}</UserText>]];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainRows(translate, v, `${prefix} ${i + 1}`));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? plainRows(translate, v, prefix ? `${prefix} · ${k}` : k)
      : [
          [
            prefix ? `${prefix} · ${k}` : k,
            typeof v === 'boolean' ? translate(v ? 'form.yes' : 'form.no') : <UserText key={k}>{String(v)}</UserText>,
          ] as RowSpec,
        ],
  );
}

const HANDLED = new Set([
  'determination',
  'countyLegality',
  'sendBacks',
  'level',
  'coverage',
  'reason',
  'sentBackBy',
  'resubmitted',
  'resubmittedBy',
  'why',
  'thresholds',
  'rules',
  'targetTaskId',
  'targetType',
  'requestedDate',
  'currentDueAt',
  'requestedBy',
  'remaining',
  'caseNo',
  'patches',
  'origin',
  'party',
  'organ',
  'department',
  'path',
  'plan',
  'rejectedBy',
  'rectification',
  'countyAcceptance',
  'certificateNo',
  // 拆分审核: the children are shown on the form's map; here their codes and areas.
  'splitId',
  'children',
  'parentAreaMu',
]);

export function TaskContext({ context, type }: { context: Record<string, unknown>; type?: string }) {
  const translate = useTranslate();
  const c = context;
  const determination = c.determination as DeterminationData | undefined;
  const thresholds = (c.thresholds as Threshold[] | undefined) ?? [];
  const has = (k: string) => c[k] !== undefined && c[k] !== null && c[k] !== '';

  const rows: RowSpec[] = [
    has('level') && ['task.level', translate(`enums.reviewLevel.${c.level}`, { _: String(c.level) })],
    has('coverage') && ['task.coverage.label', coverageText(translate, c.coverage as Coverage)],
    has('countyLegality') && ['task.countyLegality', translate(`enums.legality.${c.countyLegality}`)],
    typeof c.sendBacks === 'number' && c.sendBacks > 0 && ['task.sendBacks', translate('task.sendBacksCount', { n: c.sendBacks })],
    has('why') && ['task.why', translate(`enums.directWhy.${c.why}`, { _: String(c.why) })],
    has('rejectedBy') && ['task.rejectedBy', translate(`enums.acceptanceLevel.${c.rejectedBy}`, { _: String(c.rejectedBy) })],
    has('reason') && [reasonLabel(type, c), <UserText key="reason">{String(c.reason)}</UserText>],
    has('sentBackBy') && ['task.sentBackBy', <UserText key="by">{String(c.sentBackBy)}</UserText>],
    has('resubmittedBy') && ['task.resubmittedBy', <UserText key="rsb">{String(c.resubmittedBy)}</UserText>],
    has('targetType') && ['task.targetType', translate(`enums.taskType.${c.targetType}`, { _: String(c.targetType) })],
    has('currentDueAt') && ['task.currentDueAt', formatDateTime(String(c.currentDueAt))],
    has('requestedDate') && ['task.requestedDueDate', String(c.requestedDate)],
    has('requestedBy') && ['task.requestedBy', <UserText key="rb">{String(c.requestedBy)}</UserText>],
    has('organ') && ['task.transferTo', transferTarget(translate, { organ: String(c.organ), department: c.department as string | undefined })],
    has('path') && ['form.caseDecision.path', translate(`enums.rectificationPath.${c.path}`, { _: String(c.path) })],
    has('certificateNo') && ['form.acceptance.certificateNo', <UserText key="cert">{String(c.certificateNo)}</UserText>],
    typeof c.parentAreaMu === 'number' && ['split.parentArea', formatMu(c.parentAreaMu)],
    Array.isArray(c.children) && [
      'split.children',
      joinSemi(
        translate,
        (c.children as Array<{ code: string; areaMu: number }>).map((ch) => `${ch.code}${colon(translate)}${formatMu(ch.areaMu)} ${translate('task.mu')}`),
      ),
    ],
    typeof c.remaining === 'number' && ['task.rechecksRemaining', String(c.remaining)],
    has('origin') && ['task.origin', translate(`enums.caseOrigin.${c.origin}`, { _: String(c.origin) })],
    has('caseNo') && [
      'case.caseNo',
      <Link key="case" href={`#/cases/${encodeURIComponent(String(c.caseNo))}/show`}>
        {String(c.caseNo)}
      </Link>,
    ],
    thresholds.length > 0 && [
      'task.thresholds',
      <Stack key="t" spacing={0.25} data-testid="task-thresholds">
        {thresholds.map((t, i) => {
          const area = determination?.areas?.[AREA_OF[t.metric]];
          return (
            <span key={i}>
              {thresholdText(translate, t)}
              {typeof area === 'number' ? translate('task.thresholdMet', { value: formatMu(area) }) : ''}
            </span>
          );
        })}
      </Stack>,
    ],
    ...Object.entries(c)
      .filter(([k, v]) => !HANDLED.has(k) && v !== null && v !== undefined && v !== '')
      .flatMap(([k, v]) => plainRows(translate, v, k)),
  ];

  const blocks: Array<[string, ReactNode]> = [];
  if (c.patches) blocks.push(['task.casePatches', <CasePatchesView key="p" patches={c.patches as CasePatchSummary[]} />]);
  if (c.party) blocks.push(['case.party', <PartyView key="party" party={c.party as Party} />]);
  if (determination)
    blocks.push([
      type === 'correction' ? 'task.sentBackDetermination' : type === 'recheck' ? 'task.filedDetermination' : 'task.underReview',
      <DeterminationView key="d" determination={determination} />,
    ]);
  if (c.plan) blocks.push(['case.plan', <PlanView key="plan" plan={c.plan as { responsiblePerson: string; measures: string; plannedBy: string }} />]);
  if (c.rectification) blocks.push(['task.rectificationUnderAcceptance', <RectificationView key="r" rectification={c.rectification as Rectification} />]);
  if (c.countyAcceptance)
    blocks.push(['task.countyAcceptance', <AcceptanceView key="ca" result={c.countyAcceptance as { decision: string; notes?: string }} />]);
  if (c.rules)
    blocks.push(['task.rules.title', <RulesView key="rules" rules={c.rules as RulesValue} countyFiling={type === 'verification' || type === 'correction'} />]);

  return (
    <Stack spacing={1.5} data-testid="task-context">
      <Rows rows={rows} />
      {blocks.map(([title, node]) => (
        <Box key={title}>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
            {translate(title)}
          </Typography>
          {node}
        </Box>
      ))}
    </Stack>
  );
}
