/**
 * The patch page: the polygon on before/after imagery (or an offline map) with its centre's coordinates, attributes and areas in mu, the determination, the
 * evidence, the tasks, its violation case, and the timeline of every action.
 * Military patches are 404 for users without the classified permission (the API decides).
 */
import { Box, Stack, Typography } from '@mui/material';
import { Show, useRecordContext, useTranslate } from 'react-admin';
import { Timeline } from '../audit/Timeline';
import { PatchCase } from '../cases/PatchCase';
import { DeterminationView, type DeterminationData } from '../tasks/DeterminationView';
import { PatchAttributes, PatchStatusChips } from './PatchAttributes';
import { EvidencePatchProvider } from '../evidence/context';
import { PatchEvidence, usePatchEvidence } from './PatchEvidence';
import { hasLineage, PatchLineage } from './PatchLineage';
import { PatchImagery } from '../imagery/PatchImagery';
import { PatchMap } from './PatchMap';
import { PatchTasks } from './PatchTasks';
import { Section } from './Section';
import type { PatchRecord } from './types';

function PatchTitle() {
  const patch = useRecordContext<PatchRecord>();
  const translate = useTranslate();
  return <span>{patch ? `${translate('resources.patches.name', { smart_count: 1 })} ${patch.code}` : ''}</span>;
}

function PatchPage() {
  const patch = useRecordContext<PatchRecord>();
  const translate = useTranslate();
  const { data: evidence } = usePatchEvidence(patch?.code ?? '');
  if (!patch) return null;
  const points = (evidence ?? [])
    .filter((e) => e.gps)
    .map((e) => ({ lat: e.gps!.lat, lng: e.gps!.lng, label: e.name, ...(e.direction !== undefined ? { direction: e.direction } : {}) }));
  const determination = patch.determination as DeterminationData | null | undefined;
  return (
    <EvidencePatchProvider patchCode={patch.code} issuedAt={patch.issuedAt}>
      <Stack spacing={2} sx={{ mt: 1, mb: 4 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <Typography variant="h5" component="h1" sx={{ wordBreak: 'break-all' }}>
            {patch.code}
          </Typography>
          <PatchStatusChips patch={patch} />
        </Stack>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' } }}>
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            <Section title="patch.map" testId="section-map">
              <PatchImagery
                patchCode={patch.code}
                geometry={patch.geometry}
                centroid={patch.centroid}
                height={360}
                fallback={<PatchMap geometry={patch.geometry} points={points} height={360} />}
              />
            </Section>
            <Section title="patch.attributes">
              <PatchAttributes patch={patch} />
            </Section>
            {hasLineage(patch) && (
              <Section title={patch.mergedInto || patch.mergedFrom?.length ? 'merge.lineage' : 'split.lineage'} testId="section-lineage">
                <PatchLineage patch={patch} />
              </Section>
            )}
            <Section title="patch.determination">
              {determination ? (
                <DeterminationView determination={determination} />
              ) : (
                <Typography variant="body2">{translate('patch.noDetermination')}</Typography>
              )}
            </Section>
            <Section title="patch.evidence">
              <PatchEvidence patchCode={patch.code} />
            </Section>
            <Section title="patch.tasks">
              <PatchTasks patchCode={patch.code} />
            </Section>
            <Section title="patch.case" testId="section-case">
              <PatchCase patchCode={patch.code} legality={patch.legality} />
            </Section>
          </Stack>
          <Box sx={{ minWidth: 0 }}>
            <Section title="patch.timeline" testId="section-timeline">
              <Timeline patchCode={patch.code} />
            </Section>
          </Box>
        </Box>
      </Stack>
    </EvidencePatchProvider>
  );
}

export function PatchShow() {
  return (
    <Show title={<PatchTitle />} actions={false} component="div" emptyWhileLoading>
      <PatchPage />
    </Show>
  );
}
