/**
 * One deadline rule: its kind and fields, with its description in the UI's language as it is edited.
 * "By month" holds ranges of months, each with a rule of its own.
 */
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { Box, Button, IconButton, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { DeadlineAnchor, DeadlineRule } from '../../../domain/deadlines';
import { PathTextField } from './context';
import { safeDescribe } from './describeRule';
import type { Path } from './paths';

const KINDS: Array<DeadlineRule['kind']> = ['dayOfMonth', 'daysAfter', 'monthsAfter', 'fixedDate', 'onDate', 'byMonth'];
const ANCHORS: DeadlineAnchor[] = ['issuance', 'imaging', 'event'];

/** A sensible rule of a kind to switch to, keeping the anchor. */
export function ruleOfKind(kind: DeadlineRule['kind'], from?: DeadlineAnchor): DeadlineRule {
  switch (kind) {
    case 'dayOfMonth':
      return { kind, day: 25, monthOffset: 1, from };
    case 'daysAfter':
      return { kind, days: 15, from };
    case 'monthsAfter':
      return { kind, months: 1, from };
    case 'fixedDate':
      return { kind, month: 12, day: 31, yearOffset: 0, from };
    case 'byMonth':
      return { kind, from, ranges: [{ fromMonth: 1, toMonth: 12, rule: { kind: 'dayOfMonth', day: 15, monthOffset: 1 } }] };
    case 'onDate':
      return { kind, date: `${new Date().getFullYear()}-12-31`, from };
  }
}

/**
 * Wide enough for its whole label ("几个月后（0为当月）" was cut to "几个月后（0为…" at 120 px): an outlined
 * label is drawn over the field and cut at its width. About 1em a Chinese character, 0.6em another,
 * plus the padding and the number input's arrows.
 */
export function labelWidth(label: string): string {
  const ems = [...label].reduce((n, c) => n + (/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(c) ? 1 : 0.6), 0);
  return `max(120px, calc(${ems.toFixed(1)}em + 56px))`;
}

function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  testId,
  path,
}: {
  label: string;
  value: number | undefined;
  onChange: (n: number | undefined) => void;
  min: number;
  max: number;
  testId?: string /** Where the server's error for it would be. */;
  path?: Path;
}) {
  return (
    <PathTextField
      path={path}
      type="number"
      size="small"
      label={label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      slotProps={{ htmlInput: { min, max, 'data-testid': testId } }}
      sx={{ width: labelWidth(label) }}
    />
  );
}

export function RuleEditor({
  rule,
  onChange,
  nested = false,
  testId,
  path,
}: {
  rule: DeadlineRule;
  onChange: (r: DeadlineRule) => void;
  nested?: boolean;
  testId?: string /** The rule's path in the overrides (for the server's errors). */;
  path?: Path;
}) {
  const translate = useTranslate();
  const at = (...rest: Array<string | number>): Path | undefined => (path ? [...path, ...rest] : undefined);
  const t = (k: string) => translate(`policy.rule.${k}`);
  const set = (patch: Record<string, unknown>) => onChange({ ...rule, ...patch } as DeadlineRule);
  return (
    <Stack spacing={1} data-testid={testId}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label={t('kind')}
          value={rule.kind}
          onChange={(e) => onChange(ruleOfKind(e.target.value as DeadlineRule['kind'], rule.from))}
          sx={{ minWidth: 150 }}
          slotProps={{ htmlInput: { 'data-testid': testId ? `${testId}-kind` : undefined } }}
        >
          {KINDS.filter((k) => !nested || k !== 'byMonth').map((k) => (
            <MenuItem key={k} value={k}>
              {t(`kinds.${k}`)}
            </MenuItem>
          ))}
        </TextField>
        {!nested && (
          <TextField select size="small" label={t('from')} value={rule.from ?? 'event'} onChange={(e) => set({ from: e.target.value })} sx={{ minWidth: 130 }}>
            {ANCHORS.map((a) => (
              <MenuItem key={a} value={a}>
                {t(`anchors.${a}`)}
              </MenuItem>
            ))}
          </TextField>
        )}
        {rule.kind === 'dayOfMonth' && (
          <>
            <NumberField
              path={at('monthOffset')}
              label={t('monthOffset')}
              value={rule.monthOffset}
              min={0}
              max={12}
              onChange={(n) => set({ monthOffset: n ?? 0 })}
              testId={testId ? `${testId}-monthOffset` : undefined}
            />
            <NumberField
              path={at('day')}
              label={t('day')}
              value={rule.day}
              min={1}
              max={31}
              onChange={(n) => set({ day: n })}
              testId={testId ? `${testId}-day` : undefined}
            />
            <NumberField path={at('cutoffDay')} label={t('cutoffDay')} value={rule.cutoffDay} min={1} max={31} onChange={(n) => set({ cutoffDay: n })} />
          </>
        )}
        {rule.kind === 'daysAfter' && (
          <NumberField
            path={at('days')}
            label={t('days')}
            value={rule.days}
            min={0}
            max={366}
            onChange={(n) => set({ days: n })}
            testId={testId ? `${testId}-days` : undefined}
          />
        )}
        {rule.kind === 'monthsAfter' && (
          <NumberField path={at('months')} label={t('months')} value={rule.months} min={0} max={24} onChange={(n) => set({ months: n })} />
        )}
        {rule.kind === 'fixedDate' && (
          <>
            <NumberField
              path={at('yearOffset')}
              label={t('yearOffset')}
              value={rule.yearOffset}
              min={0}
              max={2}
              onChange={(n) => set({ yearOffset: n ?? 0 })}
            />
            <NumberField path={at('month')} label={t('month')} value={rule.month} min={1} max={12} onChange={(n) => set({ month: n })} />
            <NumberField path={at('day')} label={t('day')} value={rule.day} min={1} max={31} onChange={(n) => set({ day: n })} />
          </>
        )}
        {rule.kind === 'onDate' && (
          <TextField
            type="date"
            size="small"
            label={t('date')}
            value={rule.date}
            onChange={(e) => set({ date: e.target.value })}
            slotProps={{ inputLabel: { shrink: true } }}
            sx={{ width: 170 }}
          />
        )}
      </Stack>
      {rule.kind === 'byMonth' && (
        <Stack spacing={1} sx={{ pl: 2, borderLeft: 2, borderColor: 'divider' }}>
          {rule.ranges.map((r, i) => (
            <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'flex-start', flexWrap: 'wrap', rowGap: 1 }}>
              <NumberField
                path={at('ranges', i, 'fromMonth')}
                label={t('fromMonth')}
                value={r.fromMonth}
                min={1}
                max={12}
                onChange={(n) => set({ ranges: rule.ranges.map((x, j) => (j === i ? { ...x, fromMonth: n } : x)) })}
              />
              <NumberField
                path={at('ranges', i, 'toMonth')}
                label={t('toMonth')}
                value={r.toMonth}
                min={1}
                max={12}
                onChange={(n) => set({ ranges: rule.ranges.map((x, j) => (j === i ? { ...x, toMonth: n } : x)) })}
              />
              <Box sx={{ flex: 1, minWidth: 240 }}>
                <RuleEditor
                  nested
                  rule={r.rule}
                  path={at('ranges', i, 'rule')}
                  onChange={(nr) => set({ ranges: rule.ranges.map((x, j) => (j === i ? { ...x, rule: nr } : x)) })}
                />
              </Box>
              <IconButton
                size="small"
                aria-label={t('removeRange')}
                onClick={() => set({ ranges: rule.ranges.filter((_, j) => j !== i) })}
                disabled={rule.ranges.length === 1}
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Stack>
          ))}
          <Button
            size="small"
            startIcon={<AddIcon />}
            sx={{ alignSelf: 'flex-start' }}
            onClick={() => set({ ranges: [...rule.ranges, { fromMonth: 1, toMonth: 12, rule: { kind: 'daysAfter', days: 15 } }] })}
          >
            {t('addRange')}
          </Button>
        </Stack>
      )}
      {!nested && (
        <Typography variant="body2" color="primary" data-testid={testId ? `${testId}-description` : undefined}>
          {safeDescribe(translate, rule)}
        </Typography>
      )}
    </Stack>
  );
}
