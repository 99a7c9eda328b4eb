/**
 * The task page: what the task is and who holds it, the content under review (context), the form of
 * its type (or why this user cannot complete it, or its result), the patch with its map, and the timeline.
 */
import { Alert, Box, Link, Stack, Typography } from '@mui/material';
import { Show, useGetIdentity, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { Timeline } from '../audit/Timeline';
import { CaseSummary } from '../cases/CaseSummary';
import { UserText } from '../common/UserText';
import { EvidencePatchProvider } from '../evidence/context';
import { Interpolated } from '../i18n/Interpolated';
import { colon } from '../i18n/punctuation';
import { formatDateTime } from '../format';
import { PatchAttributes } from '../patches/PatchAttributes';
import { CentreCoordinates } from '../imagery/CentreCoordinates';
import { PatchImagery, useHasImagery } from '../imagery/PatchImagery';
import { PatchMap } from '../patches/PatchMap';
import { Section } from '../patches/Section';
import type { PatchRecord } from '../patches/types';
import { ClaimActions } from './ClaimActions';
import { DueChip } from './DueChip';
import { ExtensionRequestButton } from './ExtensionRequest';
import { MergeRequestButton } from './MergeRequest';
import { SplitRequestButton } from './SplitRequest';
import { TaskForm } from './forms/TaskForm';
import { TaskContext } from './TaskContext';
import type { TaskRecord } from './types';

/** Tasks that judge someone else's work: their context is "under review". */
const REVIEWING = [
  'review',
  'onsite_check',
  'extension_decision',
  'split_review',
  'merge_review',
  'acceptance_county',
  'acceptance_city',
  'acceptance_province',
];

function TaskTitle() {
  const task = useRecordContext<TaskRecord>();
  const translate = useTranslate();
  return <span>{task ? `${translate(`enums.taskType.${task.type}`)} ${task.patchCode}` : ''}</span>;
}

/** The form, or why there is none for this user. */
function TaskWork({ task, patch, patchLoaded }: { task: TaskRecord; patch?: PatchRecord; patchLoaded: boolean }) {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  if (task.status !== 'open') {
    return (
      <Stack spacing={1}>
        <Alert severity="success">{translate('task.closed', { status: translate(`enums.taskStatus.${task.status}`) })}</Alert>
        {task.closedByName && (
          <Typography variant="body2">
            {translate('resources.tasks.fields.closedByName')}
            {colon(translate)}
            <UserText>{task.closedByName}</UserText> · {formatDateTime(task.closedAt)}
          </Typography>
        )}
      </Stack>
    );
  }
  if (!identity) return null;
  if (identity.role !== task.role) return <Alert severity="info">{translate('task.notYourRole', { role: translate(`enums.role.${task.role}`) })}</Alert>;
  if (task.assigneeId && task.assigneeId !== identity.id) {
    return (
      <Alert severity="info">
        <Interpolated k="task.heldByOther" values={{ name: <UserText>{task.assigneeName}</UserText> }} />
      </Alert>
    );
  }
  if (!patchLoaded) return null;
  return <TaskForm task={task} patch={patch} />;
}

function TaskPage() {
  const task = useRecordContext<TaskRecord>();
  const translate = useTranslate();
  const { data: patch, isPending, isError } = useGetOne<PatchRecord>('patches', { id: task?.patchCode ?? '' }, { enabled: Boolean(task?.patchCode) });
  // 内业比对 (004 三): with imagery the comparison heads the page (and comes first on a phone).
  const hasImagery = useHasImagery(task?.patchCode);
  if (!task) return null;
  const hasContext = task.context && Object.keys(task.context).length > 0;
  return (
    <EvidencePatchProvider patchCode={task.patchCode} issuedAt={patch?.issuedAt}>
      <Stack spacing={2} sx={{ mt: 1, mb: 4 }}>
        <Box>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
            <Typography variant="h5" component="h1">
              {translate(`enums.taskType.${task.type}`)}
            </Typography>
            <Typography variant="h6" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
              {task.patchCode}
            </Typography>
            <DueChip record={task} />
          </Stack>
          <Typography variant="body2" color="text.secondary">
            <UserText>{task.regionName}</UserText> · {translate('resources.tasks.fields.dueAt')} {formatDateTime(task.dueAt)} ·{' '}
            {translate(`enums.taskStatus.${task.status}`)}
            {task.caseNo && (
              <>
                {' · '}
                {translate('case.caseNo')}{' '}
                <Link href={`#/cases/${encodeURIComponent(task.caseNo)}/show`} data-testid="task-case-link">
                  {task.caseNo}
                </Link>
              </>
            )}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <ClaimActions task={task} />
            <ExtensionRequestButton task={task} />
            <SplitRequestButton task={task} patch={patch} />
            <MergeRequestButton task={task} patch={patch} />
          </Stack>
        </Box>
        {patch && hasImagery && (
          <Section title="imagery.section" testId="section-imagery">
            <PatchImagery patchCode={patch.code} geometry={patch.geometry} centroid={patch.centroid} height={300} fallback={null} />
          </Section>
        )}
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' } }}>
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            {task.caseNo && (
              <Section title="case.summary">
                <CaseSummary caseNo={task.caseNo} />
              </Section>
            )}
            {hasContext && (
              <Section title={REVIEWING.includes(task.type) ? 'task.context' : 'task.about'}>
                <TaskContext context={task.context!} type={task.type} />
              </Section>
            )}
            <Section title="task.form" testId="section-form">
              <TaskWork task={task} patch={patch} patchLoaded={!isPending || isError} />
            </Section>
          </Stack>
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            <Section title="task.patch">
              {patch && (
                <Stack spacing={2}>
                  <PatchMap geometry={patch.geometry} height={220} />
                  {!hasImagery && <CentreCoordinates centre={patch.centroid} />}
                  <PatchAttributes patch={patch} compact />
                </Stack>
              )}
            </Section>
            <Section title="task.timeline">{task.caseNo ? <Timeline caseNo={task.caseNo} /> : <Timeline patchCode={task.patchCode} />}</Section>
          </Stack>
        </Box>
      </Stack>
    </EvidencePatchProvider>
  );
}

export function TaskShow() {
  return (
    <Show title={<TaskTitle />} actions={false} component="div" emptyWhileLoading>
      <TaskPage />
    </Show>
  );
}
