/**
 * The parts of a region's policy, each shown with where it comes from (this region, a region above, or
 * the system default) and, for an administrator of the region, made its own ("本级设置") and edited, or
 * given back to the inherited value ("恢复继承").
 */
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import UndoIcon from '@mui/icons-material/Undo';
import {
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControlLabel,
  FormHelperText,
  FormGroup,
  IconButton,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import type { DeadlineRule } from '../../../domain/deadlines';
import {
  ALWAYS_REVIEW_CONDITIONS,
  FARMLAND_FLAGS,
  type DeadlineRuleSet,
  type EvidenceRequirement,
  type OnsiteCheckRule,
  type RegionPolicy,
  type ReviewLevel,
  type ReviewLevelPolicy,
} from '../../../domain/policy';
import { LEGALITY_SUBTYPES } from '../../../domain/legality';
import { BATCH_KINDS, LEGALITIES, PATCH_CATEGORIES, type BatchKind } from '../../../domain/types';
import { UserText } from '../common/UserText';
import { Interpolated } from '../i18n/Interpolated';
import { colon, joinList, joinSemi, paren } from '../i18n/punctuation';
import { clone, deleteAt, getAt, setAt, sourceOf, type Path } from './paths';
import { safeDescribe } from './describeRule';
import { RuleEditor } from './RuleEditor';
import { INPUT_KEYS, pathId, PathTextField, useEditor } from './context';

export { EditorContext, type EditorContextValue } from './context';

/** Errors under a part that no input of it shows (a rule across fields, an unknown key). */
function PartErrors({ path }: { path: Path }) {
  const { errors } = useEditor();
  const id = pathId(path);
  const mine = Object.entries(errors).filter(([p]) => (p === id || p.startsWith(`${id}.`)) && !INPUT_KEYS.has(p.split('.').pop() ?? ''));
  if (!mine.length) return null;
  return (
    <Box data-testid="policy-part-errors">
      {mine.map(([p, m]) => (
        <FormHelperText key={p} error>
          {m}
        </FormHelperText>
      ))}
    </Box>
  );
}

function SourceChip({ path }: { path: Path }) {
  const translate = useTranslate();
  const { ancestors, regionCode, draft, regionName } = useEditor();
  const source = sourceOf([...ancestors, { regionCode, overrides: draft }], path);
  if (source === regionCode) return <Chip size="small" color="primary" label={translate('policy.own')} data-source="own" />;
  if (source === 'base') return <Chip size="small" variant="outlined" label={translate('policy.base')} data-source="base" />;
  return (
    <Chip
      size="small"
      variant="outlined"
      color="secondary"
      label={<Interpolated k="policy.inheritedFrom" values={{ name: <UserText>{regionName(source)}</UserText> }} />}
      data-source={source}
    />
  );
}

/**
 * One overridable part: label, source, and either its value (inherited) or its editor (this region's own).
 * Making it own starts from the effective value; restoring removes it from the region's overrides.
 */
export function Overridable({
  path,
  label,
  view,
  editor,
  initial,
}: {
  path: Path;
  label: string;
  view: ReactNode;
  editor: ReactNode /** The value to start from where nothing is in force. */;
  initial?: unknown;
}) {
  const translate = useTranslate();
  const { draft, setDraft, effective, editable } = useEditor();
  const own = getAt(draft, path) !== undefined;
  return (
    <Box sx={{ py: 1, borderBottom: 1, borderColor: 'divider', '&:last-child': { borderBottom: 0 } }} data-policy-path={pathId(path)}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Typography variant="body2" sx={{ fontWeight: 500, minWidth: 120 }}>
          {translate(label)}
        </Typography>
        <SourceChip path={path} />
        <Box sx={{ flex: 1 }} />
        {editable &&
          (own ? (
            <Button size="small" startIcon={<UndoIcon />} onClick={() => setDraft(deleteAt(draft, path))}>
              {translate('policy.restore')}
            </Button>
          ) : (
            <Button size="small" startIcon={<EditIcon />} onClick={() => setDraft(setAt(draft, path, clone(getAt(effective, path) ?? initial)))}>
              {translate('policy.override')}
            </Button>
          ))}
      </Stack>
      <Box sx={{ mt: 0.5 }}>{own && editable ? editor : view}</Box>
      <PartErrors path={path} />
    </Box>
  );
}

/** The editor's value at a path (the draft's own) and a setter. */
function useValue<T>(path: Path): [T, (v: T) => void] {
  const { draft, setDraft } = useEditor();
  return [getAt(draft, path) as T, (v: T) => setDraft(setAt(draft, path, v))];
}

function SectionCard({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const translate = useTranslate();
  return (
    <Card variant="outlined" data-testid={testId}>
      <CardContent>
        <Typography variant="h6" sx={{ fontSize: '1rem', mb: 0.5 }}>
          {translate(title)}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

// ---- deadlines -----------------------------------------------------------------------------

export const DEADLINE_ROWS: Array<{ path: Path; label: string }> = [
  { path: ['deadlines', 'verification'], label: 'policy.deadline.verification' },
  { path: ['deadlines', 'correction'], label: 'policy.deadline.correction' },
  { path: ['deadlines', 'review', 'city'], label: 'policy.deadline.reviewCity' },
  { path: ['deadlines', 'review', 'province'], label: 'policy.deadline.reviewProvince' },
  { path: ['deadlines', 'directDetermination'], label: 'policy.deadline.directDetermination' },
  { path: ['deadlines', 'onsiteCheck'], label: 'policy.deadline.onsiteCheck' },
  { path: ['deadlines', 'extensionDecision'], label: 'policy.deadline.extensionDecision' },
  { path: ['deadlines', 'caseRegister'], label: 'policy.deadline.caseRegister' },
  { path: ['deadlines', 'stopOrder'], label: 'policy.deadline.stopOrder' },
  { path: ['deadlines', 'caseDecision'], label: 'policy.deadline.caseDecision' },
  { path: ['deadlines', 'transferFeedback'], label: 'policy.deadline.transferFeedback' },
  { path: ['deadlines', 'rectificationPlan'], label: 'policy.deadline.rectificationPlan' },
  { path: ['deadlines', 'rectification'], label: 'policy.deadline.rectification' },
  { path: ['deadlines', 'acceptance'], label: 'policy.deadline.acceptance' },
  { path: ['deadlines', 'recheck'], label: 'policy.deadline.recheck' },
];

function RuleSetView({ set }: { set?: DeadlineRuleSet }) {
  const translate = useTranslate();
  if (!set) return null;
  return (
    <Stack spacing={0.25}>
      <Typography variant="body2" data-testid="rule-description">
        {safeDescribe(translate, set.default)}
      </Typography>
      {Object.entries(set.byBatchKind ?? {}).map(([kind, rule]) => (
        <Typography key={kind} variant="caption" color="text.secondary">
          {translate(`enums.batchKind.${kind}`)}
          {colon(translate)}
          {safeDescribe(translate, rule as DeadlineRule)}
        </Typography>
      ))}
    </Stack>
  );
}

function RuleSetEditor({ path }: { path: Path }) {
  const translate = useTranslate();
  const [set, setSet] = useValue<DeadlineRuleSet>(path);
  const { effective } = useEditor();
  const id = pathId(path);
  if (!set) return null;
  // A rule set made own from an inherited one without its default (only per batch kind) takes the effective default.
  const base = set.default ?? (getAt(effective, [...path, 'default']) as DeadlineRule);
  const byKind = set.byBatchKind ?? {};
  const missing = BATCH_KINDS.filter((k) => !byKind[k]);
  return (
    <Stack spacing={1.5} sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      <RuleEditor rule={base} path={[...path, 'default']} onChange={(r) => setSet({ ...set, default: r })} testId={`rule-${id}`} />
      {Object.entries(byKind).map(([kind, rule]) => (
        <Box key={kind}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Typography variant="caption">{translate('policy.forBatchKind', { kind: translate(`enums.batchKind.${kind}`) })}</Typography>
            <IconButton
              size="small"
              aria-label={translate('policy.removeBatchRule')}
              onClick={() => {
                const { [kind as BatchKind]: _gone, ...rest } = byKind;
                setSet({ ...set, byBatchKind: rest });
              }}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Stack>
          <RuleEditor
            rule={rule as DeadlineRule}
            path={[...path, 'byBatchKind', kind]}
            onChange={(r) => setSet({ ...set, byBatchKind: { ...byKind, [kind]: r } })}
          />
        </Box>
      ))}
      {missing.length > 0 && (
        <TextField
          select
          size="small"
          label={translate('policy.addBatchRule')}
          value=""
          onChange={(e) => setSet({ ...set, byBatchKind: { ...byKind, [e.target.value]: clone(base) } })}
          sx={{ maxWidth: 260 }}
        >
          {missing.map((k) => (
            <MenuItem key={k} value={k}>
              {translate(`enums.batchKind.${k}`)}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Stack>
  );
}

export function DeadlinesSection() {
  const { effective } = useEditor();
  return (
    <SectionCard title="policy.sections.deadlines" testId="policy-deadlines">
      {DEADLINE_ROWS.map(({ path, label }) => (
        <Overridable
          key={pathId(path)}
          path={path}
          label={label}
          view={<RuleSetView set={getAt(effective, path) as DeadlineRuleSet} />}
          editor={<RuleSetEditor path={path} />}
        />
      ))}
    </SectionCard>
  );
}

/** Every part the editor shows (an error under one of them is shown there). */
const PART_PATHS: Path[] = [
  ...DEADLINE_ROWS.map((r) => r.path),
  ['escalation', 'afterDays'],
  ['verification', 'farmlandFlags'],
  ['verification', 'forbidOtherFor'],
  ['verification', 'evidence'],
  ['review', 'chain'],
  ['onsiteChecks', 'city'],
  ['onsiteChecks', 'province'],
  ['quota', 'freezeFarmland'],
  ['quota', 'constructionPlan'],
  ['recheck', 'subTypes'],
  ['recheck', 'everyMonths'],
  ['recheck', 'forMonths'],
  ['merge', 'allowed'],
];

/** Whether the editor shows an error at this path of the overrides (on an input, or under its part). */
export const shownByEditor = (path: string) => PART_PATHS.some((p) => path === pathId(p) || path.startsWith(`${pathId(p)}.`));

// ---- escalation ----------------------------------------------------------------------------

export function EscalationSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  const path = ['escalation', 'afterDays'];
  const [days, setDays] = useValue<number>(path);
  return (
    <SectionCard title="policy.sections.escalation">
      <Overridable
        path={path}
        label="policy.escalationDays"
        view={<Typography variant="body2">{translate('policy.escalationText', { n: effective.escalation.afterDays })}</Typography>}
        editor={
          <PathTextField
            path={path}
            type="number"
            size="small"
            value={days ?? ''}
            onChange={(e) => setDays(Number(e.target.value))}
            slotProps={{ htmlInput: { min: 0, max: 60, 'data-testid': 'escalation-days' } }}
            label={translate('policy.escalationDays')}
          />
        }
      />
    </SectionCard>
  );
}

// ---- verification rules --------------------------------------------------------------------

function Checks<T extends string>({
  options,
  value,
  onChange,
  label,
}: {
  options: readonly T[];
  value: T[];
  onChange: (v: T[]) => void;
  label: (o: T) => string;
}) {
  return (
    <FormGroup row>
      {options.map((o) => (
        <FormControlLabel
          key={o}
          control={
            <Checkbox size="small" checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          }
          label={label(o)}
        />
      ))}
    </FormGroup>
  );
}

function ListView({ items }: { items: string[] }) {
  const translate = useTranslate();
  return <Typography variant="body2">{items.length ? joinList(translate, items) : translate('case.none')}</Typography>;
}

/** "违法：至少 1 张带GPS的现场照片；合法（无批准文件）：不要求". */
function evidenceText(translate: (k: string, o?: Record<string, unknown>) => string, e: EvidenceRequirement): string {
  const one = (k: keyof EvidenceRequirement) =>
    `${translate(`policy.evidenceFor.${k}`)}${colon(translate)}${e[k] > 0 ? translate('policy.evidencePhotos', { n: e[k] }) : translate('policy.evidenceNone')}`;
  return joinSemi(translate, [one('illegal'), one('legalWithoutApproval')]);
}

export function VerificationSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  const [flags, setFlags] = useValue<string[]>(['verification', 'farmlandFlags']);
  const [forbid, setForbid] = useValue<string[]>(['verification', 'forbidOtherFor']);
  const [evidence, setEvidence] = useValue<Partial<EvidenceRequirement> | undefined>(['verification', 'evidence']);
  return (
    <SectionCard title="policy.sections.verification">
      <Overridable
        path={['verification', 'farmlandFlags']}
        label="policy.farmlandFlags"
        view={<ListView items={effective.verification.farmlandFlags.map((f) => translate(`enums.farmlandFlag.${f}`))} />}
        editor={
          <Checks
            options={FARMLAND_FLAGS}
            value={(flags ?? []) as (typeof FARMLAND_FLAGS)[number][]}
            onChange={setFlags}
            label={(f) => translate(`enums.farmlandFlag.${f}`)}
          />
        }
      />
      <Overridable
        path={['verification', 'forbidOtherFor']}
        label="policy.forbidOtherFor"
        view={<ListView items={effective.verification.forbidOtherFor.map((c) => translate(`enums.category.${c}`))} />}
        editor={
          <Checks
            options={PATCH_CATEGORIES}
            value={(forbid ?? []) as (typeof PATCH_CATEGORIES)[number][]}
            onChange={setForbid}
            label={(c) => translate(`enums.category.${c}`)}
          />
        }
      />
      <Overridable
        path={['verification', 'evidence']}
        label="policy.evidence"
        view={
          <Typography variant="body2" data-testid="policy-evidence">
            {evidenceText(translate, effective.verification.evidence)}
          </Typography>
        }
        editor={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
            {(['illegal', 'legalWithoutApproval'] as const).map((k) => (
              <PathTextField
                key={k}
                path={['verification', 'evidence', k]}
                type="number"
                size="small"
                value={evidence?.[k] ?? ''}
                onChange={(e) => setEvidence({ ...effective.verification.evidence, ...evidence, [k]: Math.max(0, Math.trunc(Number(e.target.value))) })}
                slotProps={{ htmlInput: { min: 0, max: 10, 'data-testid': `policy-evidence-${k}` } }}
                label={translate(`policy.evidenceFor.${k}`)}
              />
            ))}
          </Stack>
        }
      />
    </SectionCard>
  );
}

// ---- review chain and coverage ---------------------------------------------------------------

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

function coverageView(translate: (k: string, o?: Record<string, unknown>) => string, l: ReviewLevelPolicy): string {
  const level = translate(`enums.reviewLevel.${l.level}`);
  const coverage =
    l.coverage.mode === 'all'
      ? translate('policy.coverageAll')
      : translate('policy.coverageSample', { legal: pct(l.coverage.rates.legal), illegal: pct(l.coverage.rates.illegal), other: pct(l.coverage.rates.other) });
  const always = l.always?.length
    ? translate('policy.alwaysText', {
        list: joinList(
          translate,
          l.always.map((c) => translate(`enums.alwaysReview.${c}`)),
        ),
      })
    : '';
  return `${level}${colon(translate)}${coverage}${always}`;
}

function ChainEditor() {
  const translate = useTranslate();
  const [chain, setChain] = useValue<ReviewLevelPolicy[]>(['review', 'chain']);
  const list = chain ?? [];
  const update = (i: number, l: ReviewLevelPolicy) => setChain(list.map((x, j) => (j === i ? l : x)));
  const levels: ReviewLevel[] = ['city', 'province'];
  return (
    <Stack spacing={1.5} sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }} data-testid="chain-editor">
      {list.map((l, i) => (
        <Stack key={i} spacing={1} sx={{ pb: 1, borderBottom: 1, borderColor: 'divider' }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <TextField
              select
              size="small"
              label={translate('policy.level')}
              value={l.level}
              onChange={(e) => update(i, { ...l, level: e.target.value as ReviewLevel })}
              sx={{ minWidth: 100 }}
            >
              {levels.map((lv) => (
                <MenuItem key={lv} value={lv}>
                  {translate(`enums.reviewLevel.${lv}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label={translate('policy.coverage')}
              value={l.coverage.mode}
              onChange={(e) =>
                update(i, { ...l, coverage: e.target.value === 'all' ? { mode: 'all' } : { mode: 'sample', rates: { legal: 0.3, illegal: 0.3, other: 0.3 } } })
              }
              sx={{ minWidth: 140 }}
            >
              <MenuItem value="all">{translate('policy.coverageAll')}</MenuItem>
              <MenuItem value="sample">{translate('policy.coverageSampleShort')}</MenuItem>
            </TextField>
            {l.coverage.mode === 'sample' &&
              LEGALITIES.map((lg) => (
                <PathTextField
                  key={lg}
                  path={['review', 'chain', i, 'coverage', 'rates', lg]}
                  type="number"
                  size="small"
                  label={`${translate(`enums.legality.${lg}`)} %`}
                  value={l.coverage.mode === 'sample' ? Math.round(l.coverage.rates[lg] * 1000) / 10 : ''}
                  onChange={(e) =>
                    l.coverage.mode === 'sample' &&
                    update(i, { ...l, coverage: { mode: 'sample', rates: { ...l.coverage.rates, [lg]: Number(e.target.value) / 100 } } })
                  }
                  slotProps={{ htmlInput: { min: 0, max: 100, step: 5 } }}
                  sx={{ width: 100 }}
                />
              ))}
            <IconButton size="small" aria-label={translate('policy.removeLevel')} onClick={() => setChain(list.filter((_, j) => j !== i))}>
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Stack>
          <Box>
            <Typography variant="caption" color="text.secondary">
              {translate('policy.always')}
            </Typography>
            <Checks
              options={ALWAYS_REVIEW_CONDITIONS}
              value={l.always ?? []}
              onChange={(always) => update(i, { ...l, always })}
              label={(c) => translate(`enums.alwaysReview.${c}`)}
            />
          </Box>
        </Stack>
      ))}
      {list.length < 2 && (
        <Button
          size="small"
          startIcon={<AddIcon />}
          sx={{ alignSelf: 'flex-start' }}
          onClick={() => {
            const added: ReviewLevelPolicy = { level: list.some((l) => l.level === 'province') ? 'city' : 'province', coverage: { mode: 'all' } };
            setChain([...list, added].sort((a, b) => levels.indexOf(a.level) - levels.indexOf(b.level)));
          }}
        >
          {translate('policy.addLevel')}
        </Button>
      )}
      <Typography variant="caption" color="text.secondary">
        {translate('policy.chainHint')}
      </Typography>
    </Stack>
  );
}

export function ReviewSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  return (
    <SectionCard title="policy.sections.review">
      <Overridable
        path={['review', 'chain']}
        label="policy.chain"
        view={
          <Stack spacing={0.25} data-testid="chain-view">
            {effective.review.chain.length ? (
              effective.review.chain.map((l) => (
                <Typography key={l.level} variant="body2">
                  {coverageView(translate, l)}
                </Typography>
              ))
            ) : (
              <Typography variant="body2">{translate('policy.noReview')}</Typography>
            )}
          </Stack>
        }
        editor={<ChainEditor />}
      />
    </SectionCard>
  );
}

// ---- on-site thresholds ----------------------------------------------------------------------

const METRICS: OnsiteCheckRule['metric'][] = ['farmlandMu', 'basicFarmlandMu', 'redLineMu', 'totalMu'];

/** Sub-types a patch is filed as (003 四(一) 设施农业用地类、农业项目违法类、未变化); the rest of the list follows. */
const FILED_FIRST = ['facility_agriculture', 'agricultural_project_illegal', 'unchanged'];
const FILED_AS: string[] = [...FILED_FIRST, ...[...new Set(Object.values(LEGALITY_SUBTYPES).flat())].filter((t) => !FILED_FIRST.includes(t))];
/** Issued categories (003 三(二)): not the kinds a county files a patch as. */
const ISSUED_AS = PATCH_CATEGORIES.filter((c) => !['facility_agriculture', 'agricultural_project_illegal', 'unchanged_occupying_farmland'].includes(c));

function thresholdView(translate: (k: string, o?: Record<string, unknown>) => string, r: OnsiteCheckRule) {
  const scope = joinSemi(translate, [
    r.legalities.map((l) => translate(`enums.legality.${l}`)).join('/'),
    ...(r.filedAs
      ? [
          translate('policy.filedAsText', {
            list: joinList(
              translate,
              r.filedAs.map((t) => translate(`enums.subType.${t}`)),
            ),
          }),
        ]
      : []),
    ...(r.issuedAs
      ? [
          translate('policy.issuedAsText', {
            list: joinList(
              translate,
              r.issuedAs.map((c) => translate(`enums.category.${c}`)),
            ),
          }),
        ]
      : []),
    ...(r.newStructures ? [translate('policy.newStructuresText')] : []),
  ]);
  return `${translate(`enums.areaMetric.${r.metric}`)} ≥ ${r.minMu} ${translate('task.mu')}${paren(translate, scope)}`;
}

function ThresholdsEditor({ path }: { path: Path }) {
  const translate = useTranslate();
  const [rules, setRules] = useValue<OnsiteCheckRule[]>(path);
  const list = rules ?? [];
  const update = (i: number, r: OnsiteCheckRule) => setRules(list.map((x, j) => (j === i ? r : x)));
  // Unset filters apply to all; an empty list would match nothing, so it is dropped.
  const orAll = <T,>(v: T[]): T[] | undefined => (v.length ? v : undefined);
  return (
    <Stack spacing={1} sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      {list.map((r, i) => (
        <Stack key={i} spacing={0.5} sx={{ pb: 1, borderBottom: 1, borderColor: 'divider' }} data-testid="onsite-rule">
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <TextField
              select
              size="small"
              label={translate('policy.metric')}
              value={r.metric}
              onChange={(e) => update(i, { ...r, metric: e.target.value as OnsiteCheckRule['metric'] })}
              sx={{ minWidth: 150 }}
            >
              {METRICS.map((m) => (
                <MenuItem key={m} value={m}>
                  {translate(`enums.areaMetric.${m}`)}
                </MenuItem>
              ))}
            </TextField>
            <PathTextField
              path={[...path, i, 'minMu']}
              type="number"
              size="small"
              label={translate('policy.minMu')}
              value={r.minMu}
              onChange={(e) => update(i, { ...r, minMu: Number(e.target.value) })}
              slotProps={{ htmlInput: { min: 0, step: 1 } }}
              sx={{ width: 120 }}
            />
            <IconButton size="small" aria-label={translate('policy.removeThreshold')} onClick={() => setRules(list.filter((_, j) => j !== i))}>
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Stack>
          <Typography variant="caption" color="text.secondary">
            {translate('policy.legalities')}
          </Typography>
          {/* At least one: the last one cannot be unticked. */}
          <Checks
            options={LEGALITIES}
            value={r.legalities}
            onChange={(legalities) => legalities.length && update(i, { ...r, legalities })}
            label={(l) => translate(`enums.legality.${l}`)}
          />
          <Typography variant="caption" color="text.secondary">
            {translate('policy.filedAs')}
          </Typography>
          <Box data-testid="onsite-filed-as">
            <Checks
              options={FILED_AS}
              value={r.filedAs ?? []}
              onChange={(filedAs) => update(i, { ...r, filedAs: orAll(filedAs) })}
              label={(t) => translate(`enums.subType.${t}`)}
            />
          </Box>
          <Typography variant="caption" color="text.secondary">
            {translate('policy.issuedAs')}
          </Typography>
          <Checks
            options={ISSUED_AS}
            value={r.issuedAs ?? []}
            onChange={(issuedAs) => update(i, { ...r, issuedAs: orAll(issuedAs) })}
            label={(c) => translate(`enums.category.${c}`)}
          />
          <FormControlLabel
            control={
              <Checkbox size="small" checked={r.newStructures === true} onChange={(e) => update(i, { ...r, newStructures: e.target.checked || undefined })} />
            }
            label={translate('policy.newStructures')}
          />
        </Stack>
      ))}
      <Button
        size="small"
        startIcon={<AddIcon />}
        sx={{ alignSelf: 'flex-start' }}
        onClick={() => setRules([...list, { metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] }])}
      >
        {translate('policy.addThreshold')}
      </Button>
      <Typography variant="caption" color="text.secondary">
        {translate('policy.thresholdHint')}
      </Typography>
    </Stack>
  );
}

export function OnsiteSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  return (
    <SectionCard title="policy.sections.onsite">
      {(['city', 'province'] as const).map((level) => {
        const rules = effective.onsiteChecks[level] ?? [];
        return (
          <Overridable
            key={level}
            path={['onsiteChecks', level]}
            label={`policy.onsiteBy.${level}`}
            view={
              <Stack spacing={0.25}>
                {rules.length ? (
                  rules.map((r, i) => (
                    <Typography key={i} variant="body2">
                      {thresholdView(translate, r)}
                    </Typography>
                  ))
                ) : (
                  <Typography variant="body2">{translate('policy.noOnsite')}</Typography>
                )}
              </Stack>
            }
            editor={<ThresholdsEditor path={['onsiteChecks', level]} />}
            initial={[]}
          />
        );
      })}
    </SectionCard>
  );
}

// ---- quota ---------------------------------------------------------------------------------

const DEFAULT_PLAN: NonNullable<RegionPolicy['quota']['constructionPlan']> = {
  share: 0.15,
  rounds: [{ kind: 'fixedDate', month: 6, day: 30, yearOffset: 0, from: 'issuance' }],
};

/** Jiangmen's construction-plan quota: a share frozen, unfrozen in proportion at rounds, the rest deducted at the last. */
function PlanQuotaEditor() {
  const translate = useTranslate();
  const { draft, setDraft } = useEditor();
  const [plan, setPlan] = useValue<RegionPolicy['quota']['constructionPlan']>(['quota', 'constructionPlan']);
  return (
    <Stack spacing={1} sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      <FormControlLabel
        control={<Switch checked={Boolean(plan)} onChange={() => setDraft(deleteAt(draft, ['quota', 'constructionPlan']))} />}
        label={translate('policy.planQuota')}
      />
      {plan && (
        <>
          <PathTextField
            path={['quota', 'constructionPlan', 'share']}
            type="number"
            size="small"
            label={translate('policy.planShare')}
            value={Math.round(plan.share * 1000) / 10}
            onChange={(e) => setPlan({ ...plan, share: Number(e.target.value) / 100 })}
            slotProps={{ htmlInput: { min: 1, max: 100 } }}
            sx={{ width: 160 }}
          />
          <Typography variant="caption">{translate('policy.planRounds')}</Typography>
          {plan.rounds.map((r, i) => (
            <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
              <Box sx={{ flex: 1 }}>
                <RuleEditor
                  rule={r}
                  path={['quota', 'constructionPlan', 'rounds', i]}
                  onChange={(nr) => setPlan({ ...plan, rounds: plan.rounds.map((x, j) => (j === i ? nr : x)) })}
                />
              </Box>
              <IconButton
                size="small"
                aria-label={translate('policy.removeRound')}
                disabled={plan.rounds.length === 1}
                onClick={() => setPlan({ ...plan, rounds: plan.rounds.filter((_, j) => j !== i) })}
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Stack>
          ))}
          <Button
            size="small"
            startIcon={<AddIcon />}
            sx={{ alignSelf: 'flex-start' }}
            onClick={() => setPlan({ ...plan, rounds: [...plan.rounds, { kind: 'fixedDate', month: 12, day: 31, yearOffset: 0, from: 'issuance' }] })}
          >
            {translate('policy.addRound')}
          </Button>
        </>
      )}
    </Stack>
  );
}

export function QuotaSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  const [freeze, setFreeze] = useValue<boolean>(['quota', 'freezeFarmland']);
  const plan = effective.quota.constructionPlan;
  return (
    <SectionCard title="policy.sections.quota">
      <Overridable
        path={['quota', 'freezeFarmland']}
        label="policy.freezeFarmland"
        view={<Typography variant="body2">{translate(effective.quota.freezeFarmland ? 'form.yes' : 'form.no')}</Typography>}
        editor={
          <FormControlLabel
            control={<Switch checked={Boolean(freeze)} onChange={(e) => setFreeze(e.target.checked)} />}
            label={translate('policy.freezeFarmland')}
          />
        }
      />
      <Overridable
        path={['quota', 'constructionPlan']}
        label="policy.planQuota"
        view={
          <Typography variant="body2">
            {plan
              ? translate('policy.planText', {
                  share: pct(plan.share),
                  rounds: joinSemi(
                    translate,
                    plan.rounds.map((r) => safeDescribe(translate, r)),
                  ),
                })
              : translate('policy.planOff')}
          </Typography>
        }
        editor={<PlanQuotaEditor />}
        initial={DEFAULT_PLAN}
      />
    </SectionCard>
  );
}

// ---- re-check cycle --------------------------------------------------------------------------

const RECHECK_SUBTYPES = ['facility_agriculture', 'temporary_land', 'rural_road', 'unchanged', 'demolished_recultivated'] as const;

export function RecheckSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  const [subTypes, setSubTypes] = useValue<string[]>(['recheck', 'subTypes']);
  const [every, setEvery] = useValue<number>(['recheck', 'everyMonths']);
  const [months, setMonths] = useValue<number>(['recheck', 'forMonths']);
  return (
    <SectionCard title="policy.sections.recheck">
      <Overridable
        path={['recheck', 'subTypes']}
        label="policy.recheckSubTypes"
        view={<ListView items={effective.recheck.subTypes.map((s) => translate(`enums.subType.${s}`))} />}
        editor={
          <Checks
            options={RECHECK_SUBTYPES}
            value={(subTypes ?? []) as (typeof RECHECK_SUBTYPES)[number][]}
            onChange={setSubTypes}
            label={(s) => translate(`enums.subType.${s}`)}
          />
        }
      />
      <Overridable
        path={['recheck', 'everyMonths']}
        label="policy.recheckEvery"
        view={<Typography variant="body2">{translate('policy.monthsText', { n: effective.recheck.everyMonths })}</Typography>}
        editor={
          <PathTextField
            path={['recheck', 'everyMonths']}
            type="number"
            size="small"
            value={every ?? ''}
            onChange={(e) => setEvery(Number(e.target.value))}
            slotProps={{ htmlInput: { min: 1, max: 12 } }}
          />
        }
      />
      <Overridable
        path={['recheck', 'forMonths']}
        label="policy.recheckFor"
        view={<Typography variant="body2">{translate('policy.monthsText', { n: effective.recheck.forMonths })}</Typography>}
        editor={
          <PathTextField
            path={['recheck', 'forMonths']}
            type="number"
            size="small"
            value={months ?? ''}
            onChange={(e) => setMonths(Number(e.target.value))}
            slotProps={{ htmlInput: { min: 1, max: 36 } }}
          />
        }
      />
    </SectionCard>
  );
}

// ---- merging (合并, docs/domain.md §13) -------------------------------------------------------

export function MergeSection() {
  const translate = useTranslate();
  const { effective } = useEditor();
  const [allowed, setAllowed] = useValue<boolean>(['merge', 'allowed']);
  return (
    <SectionCard title="policy.sections.merge">
      <Overridable
        path={['merge', 'allowed']}
        label="policy.allowMerge"
        view={<Typography variant="body2">{translate(effective.merge?.allowed ? 'form.yes' : 'form.no')}</Typography>}
        editor={
          <FormControlLabel
            control={<Switch checked={Boolean(allowed)} onChange={(e) => setAllowed(e.target.checked)} data-testid="policy-allow-merge" />}
            label={translate('policy.allowMerge')}
          />
        }
      />
    </SectionCard>
  );
}
