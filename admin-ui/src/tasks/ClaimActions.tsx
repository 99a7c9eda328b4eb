/**
 * Claim / unclaim / assign for one task, as the identity may: claim an unassigned task of one's role,
 * release one's own (assigners may release anyone's), assign (reviewers, supervisors, administrators).
 */
import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import PanToolIcon from '@mui/icons-material/PanTool';
import UndoIcon from '@mui/icons-material/Undo';
import { Button, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import { useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { canAssign } from '../../../domain/assignment';
import type { Role } from '../../../domain/types';
import { UserText } from '../common/UserText';
import { Interpolated } from '../i18n/Interpolated';
import { rejectionOf } from './forms/submission';
import { assignTask, claimTask, unclaimTask } from './api';
import { AssignDialog } from './AssignDialog';
import type { TaskRecord } from './types';

export function ClaimActions({ task, showHolder = true }: { task: TaskRecord; showHolder?: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { identity } = useGetIdentity();
  const [busy, setBusy] = useState(false);
  const [assigning, setAssigning] = useState(false);
  if (!identity || task.status !== 'open') return null;
  const role = identity.role as Role;
  const mine = task.assigneeId === identity.id;
  const assigner = canAssign(role);

  const run = async (event: MouseEvent | undefined, action: () => Promise<TaskRecord>, message: string, args?: object) => {
    event?.stopPropagation();
    event?.preventDefault();
    setBusy(true);
    try {
      await action();
      notify(message, { type: 'success', messageArgs: args });
    } catch (err) {
      notify(rejectionOf(err).message, { type: 'error' });
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries();
    }
  };

  return (
    // A span: on a phone the actions sit inside the list item's text (and its link), which must not open the task.
    <Stack
      component="span"
      direction="row"
      spacing={1}
      sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}
      onClick={(e) => {
        e.stopPropagation();
        e.preventDefault();
      }}
    >
      {showHolder && (
        <Typography component="span" variant="body2" color={task.assigneeId ? 'text.primary' : 'text.secondary'} data-testid="task-holder">
          {task.assigneeId ? (
            mine ? (
              translate('inbox.heldByMe')
            ) : (
              <Interpolated k="inbox.heldBy" values={{ name: <UserText>{task.assigneeName}</UserText> }} />
            )
          ) : (
            translate('inbox.unassigned')
          )}
        </Typography>
      )}
      {!task.assigneeId && role === task.role && (
        <Button size="small" variant="outlined" startIcon={<PanToolIcon />} disabled={busy} onClick={(e) => run(e, () => claimTask(task.id), 'inbox.claimed')}>
          {translate('inbox.claim')}
        </Button>
      )}
      {task.assigneeId && (mine || assigner) && (
        <Button size="small" startIcon={<UndoIcon />} disabled={busy} onClick={(e) => run(e, () => unclaimTask(task.id), 'inbox.unclaimed')}>
          {translate('inbox.unclaim')}
        </Button>
      )}
      {assigner && (
        <>
          <Button
            size="small"
            startIcon={<AssignmentIndIcon />}
            disabled={busy}
            onClick={(e) => {
              e.stopPropagation();
              e.preventDefault();
              setAssigning(true);
            }}
          >
            {translate('inbox.assign')}
          </Button>
          <AssignDialog
            task={task}
            open={assigning}
            onClose={() => setAssigning(false)}
            onPick={(u) => {
              setAssigning(false);
              void run(undefined, () => assignTask(task.id, u.id), 'inbox.assigned', { name: u.displayName });
            }}
          />
        </>
      )}
    </Stack>
  );
}
