/**
 * A region's policy (规则): the effective rules with each part marked as this region's own, inherited
 * (from which region) or the system default; for the region's administrators an editor of its own
 * overrides — deadlines (with the Chinese description of each rule), review chain and coverage, on-site
 * thresholds, farmland questions and categories that may not be "other", escalation, quota, re-check —
 * a preview of due dates and of how many running workflows the change moves, applying it with a note
 * and watching the fan-out, and the version history.
 */
import { Alert, Box, Button, Card, CardContent, Chip, Skeleton, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { Title, useGetIdentity, useGetList, useParams, useTranslate } from 'react-admin';
import { canSeeRegion } from '../../../domain/authorization';
import type { PolicyOverrides } from '../../../domain/policy';
import { UserText } from '../common/UserText';
import { httpClient } from '../dataProvider';
import { Interpolated } from '../i18n/Interpolated';
import { loadPolicy, type PreviewAnswer } from './api';
import { ApplyPanel } from './ApplyPanel';
import { effectiveOf, type Layer } from './paths';
import { PreviewPanel } from './PreviewPanel';
import {
  DeadlinesSection,
  EditorContext,
  EscalationSection,
  MergeSection,
  OnsiteSection,
  QuotaSection,
  RecheckSection,
  ReviewSection,
  VerificationSection,
} from './sections';
import { Versions, type VersionRow } from './Versions';

export function PolicyEditor() {
  const translate = useTranslate();
  const { code = '' } = useParams<{ code: string }>();
  const { identity } = useGetIdentity();
  const enabled = /^\d{6}$/.test(code);
  // The three calls at once (the versions were asked for only once the editor had been drawn).
  const { data: answer, error, refetch } = useQuery({ queryKey: ['policy', code], queryFn: () => loadPolicy(code), enabled });
  const { data: region } = useQuery({
    queryKey: ['region', code],
    queryFn: async () => (await httpClient(`/api/regions/${code}`)).json as { name: string; level: string },
    enabled,
  });
  const versions = useGetList<VersionRow>(
    `regions/${code}/policy/versions`,
    { pagination: { page: 1, perPage: 50 }, sort: { field: 'version', order: 'DESC' } },
    { enabled },
  );
  // The editor (some hundred inputs and chips) is drawn in a deferred render that React interrupts to keep
  // the page responsive, not in one long task: a skeleton first, even when the policy is in the cache.
  const data = useDeferredValue(answer ?? null, null);
  const own = useMemo(() => (data?.own ?? {}) as PolicyOverrides, [data]);
  // The draft is the region's own overrides until edited, and again whenever they change (a new version):
  // derived, not copied in an effect (which drew the whole editor a second time on opening).
  const [edited, setEdited] = useState<{ of: PolicyOverrides; draft: PolicyOverrides }>();
  const draft = edited?.of === own ? edited.draft : own;
  const setDraft = useCallback((next: PolicyOverrides) => setEdited({ of: own, draft: next }), [own]);
  // The server's refusals of the last preview or apply, shown on the inputs until the draft changes.
  const [refusal, setRefusal] = useState<{ of: PolicyOverrides; errors: Record<string, string> }>();
  const errors = useMemo(() => (refusal?.of === draft ? refusal.errors : {}), [refusal, draft]);
  const setErrors = useCallback((next: Record<string, string>) => setRefusal({ of: draft, errors: next }), [draft]);
  // The last preview, with the draft it was of (its samples go into the confirmation of 应用并下发).
  const [lastPreview, setLastPreview] = useState<{ answer: PreviewAnswer; of: PolicyOverrides }>();

  const ancestors: Layer[] = useMemo(() => (data?.layers ?? []).filter((l) => l.regionCode !== code), [data, code]);
  const effective = useMemo(() => effectiveOf([...ancestors, { regionCode: code, overrides: draft }]), [ancestors, code, draft]);
  const names = useMemo(() => new Map((data?.layers ?? []).map((l) => [l.regionCode, l.regionName ?? l.regionCode])), [data]);
  const editable = identity?.role === 'administrator' && canSeeRegion({ regionCode: String(identity.regionCode) }, code).ok;
  const dirty = draft !== own && JSON.stringify(draft) !== JSON.stringify(own);

  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Skeleton height={400} data-testid="policy-editor-loading" />;
  const regionName = (c: string) => (c === code ? (region?.name ?? c) : (names.get(c) ?? c));
  return (
    <EditorContext.Provider value={{ regionCode: code, ancestors, draft, setDraft, effective, editable, regionName, errors }}>
      <Box sx={{ mt: 1, mb: 4 }} data-testid="policy-editor">
        <Title title={<Interpolated k="policy.title" values={{ name: <UserText>{region?.name ?? code}</UserText> }} />} />
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' }, mb: 1 }}>
          <Typography variant="h5" component="h1">
            <Interpolated k="policy.title" values={{ name: <UserText>{region?.name ?? code}</UserText> }} />
          </Typography>
          <Chip size="small" label={translate('policy.ownVersion', { n: data.ownVersion })} />
          {dirty && <Chip size="small" color="warning" label={translate('policy.unsaved')} data-testid="policy-dirty" />}
          {dirty && (
            <Button size="small" onClick={() => setEdited(undefined)}>
              {translate('policy.discard')}
            </Button>
          )}
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {ancestors.length ? (
            <Interpolated k="policy.chainOfLayers" values={{ chain: <UserText>{ancestors.map((l) => l.regionName ?? l.regionCode).join(' → ')}</UserText> }} />
          ) : (
            translate('policy.chainOfLayers', { chain: translate('policy.base') })
          )}
          {!editable && ` ${translate('policy.readOnly')}`}
        </Typography>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' }, alignItems: 'start' }}>
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            <DeadlinesSection />
            <ReviewSection />
            <OnsiteSection />
            <VerificationSection />
            <EscalationSection />
            <QuotaSection />
            <RecheckSection />
            <MergeSection />
          </Stack>
          <Stack spacing={2} sx={{ minWidth: 0, position: { lg: 'sticky' }, top: { lg: 64 } }}>
            {editable && (
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="h6" sx={{ fontSize: '1rem', mb: 1 }}>
                    {translate('policy.previewTitle')}
                  </Typography>
                  <PreviewPanel
                    regionCode={code}
                    draft={draft}
                    onErrors={setErrors}
                    onResult={(a) => setLastPreview(a ? { answer: a, of: draft } : undefined)}
                  />
                </CardContent>
              </Card>
            )}
            {editable && (
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="h6" sx={{ fontSize: '1rem', mb: 1 }}>
                    {translate('policy.applyTitle')}
                  </Typography>
                  <ApplyPanel
                    regionCode={code}
                    draft={draft}
                    dirty={dirty}
                    lastPreview={lastPreview?.of === draft ? lastPreview.answer : undefined}
                    onSaved={() => void refetch()}
                    onErrors={setErrors}
                  />
                </CardContent>
              </Card>
            )}
          </Stack>
        </Box>
        {/* The whole width: six columns, not clipped in the side column. */}
        <Card variant="outlined" sx={{ mt: 2 }}>
          <CardContent>
            <Typography variant="h6" sx={{ fontSize: '1rem', mb: 1 }}>
              {translate('policy.versions')}
            </Typography>
            <Versions rows={versions.data} />
          </CardContent>
        </Card>
      </Box>
    </EditorContext.Provider>
  );
}
