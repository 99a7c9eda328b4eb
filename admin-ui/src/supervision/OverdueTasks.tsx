/**
 * The overdue tasks of a region (optionally of one task type), longest overdue first, with how long each is
 * overdue; select some or all, then remind (a notification to whoever holds each, once a day) or
 * reassign them to one user.
 */
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
  List,
  ListItemButton,
  ListItemText,
  Pagination,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useGetIdentity, useGetList, useNotify, useTranslate } from 'react-admin';
import { canAssign } from '../../../domain/assignment';
import type { Role } from '../../../domain/types';
import { UserText } from '../common/UserText';
import { formatDateTime } from '../format';
import { rejectionOf } from '../tasks/forms/submission';
import type { TaskRecord } from '../tasks/types';
import { reassign, remind } from './api';

/**
 * Columns a phone leaves out (390 px: the region, its count and the drill-down stay in view; the stages
 * are in the chips under the pie chart, the longest overdue in the task list).
 */
export const WIDE_ONLY = { display: { xs: 'none', sm: 'table-cell' } } as const;

const PER_PAGE = 50;
const DAY = 86_400_000;

export const overdueDays = (dueAt: string | null | undefined, now = Date.now()) => (dueAt ? Math.max(0, (now - Date.parse(dueAt)) / DAY) : 0);

export function overdueLabel(translate: (k: string, o?: object) => string, days: number) {
  return days < 1 ? translate('supervision.lessThanADay') : translate('supervision.daysOverdue', { n: Math.floor(days) });
}

function RemindDialog({ open, count, onClose, onSend }: { open: boolean; count: number; onClose: () => void; onSend: (message: string) => void }) {
  const translate = useTranslate();
  const [message, setMessage] = useState('');
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('supervision.remindTitle', { n: count })}</DialogTitle>
      <DialogContent>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('supervision.remindHint')}
        </Alert>
        <TextField
          label={translate('supervision.remindMessage')}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'remind-message' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" onClick={() => onSend(message.trim())}>
          {translate('supervision.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ReassignDialog({
  open,
  tasks,
  regionCode,
  onClose,
  onPick,
}: {
  open: boolean;
  tasks: TaskRecord[];
  regionCode: string;
  onClose: () => void;
  onPick: (u: { id: number; displayName: string }) => void;
}) {
  const translate = useTranslate();
  const roles = [...new Set(tasks.map((t) => t.role))];
  // One region all the tasks lie in: their common one, else the region shown.
  const regions = [...new Set(tasks.map((t) => t.regionCode))];
  const region = regions.length === 1 ? regions[0] : regionCode;
  const { data } = useGetList<{ id: number; displayName: string; username: string; regionName?: string }>(
    'users',
    { filter: { role: roles[0], regionCode: region }, pagination: { page: 1, perPage: 100 }, sort: { field: 'regionCode', order: 'ASC' } },
    { enabled: open && roles.length === 1 },
  );
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>{translate('supervision.reassignTitle', { n: tasks.length })}</DialogTitle>
      <DialogContent>
        {roles.length > 1 ? (
          <Alert severity="warning">{translate('supervision.mixedRoles')}</Alert>
        ) : (
          <>
            <Typography variant="caption" color="text.secondary">
              {translate('inbox.assignHint', { role: translate(`enums.role.${roles[0]}`) })}
            </Typography>
            <List dense data-testid="reassign-users">
              {(data ?? []).map((u) => (
                <ListItemButton key={u.id} onClick={() => onPick(u)}>
                  <ListItemText primary={<UserText>{u.displayName}</UserText>} secondary={<UserText>{`${u.username} · ${u.regionName ?? ''}`}</UserText>} />
                </ListItemButton>
              ))}
            </List>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
      </DialogActions>
    </Dialog>
  );
}

export function OverdueTasks({ regionCode, taskType }: { regionCode: string; taskType?: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { identity } = useGetIdentity();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<'remind' | 'reassign'>();
  const { data, total, isPending } = useGetList<TaskRecord>('tasks', {
    filter: { status: 'open', overdue: true, regionCode, ...(taskType ? { type: taskType } : {}) },
    sort: { field: 'dueAt', order: 'ASC' },
    pagination: { page, perPage: PER_PAGE },
  });
  const rows = data ?? [];
  const chosen = rows.filter((t) => selected.includes(t.id));
  const role = identity?.role as Role | undefined;
  const mayRemind = role === 'supervisor' || role === 'administrator';
  const mayReassign = role ? canAssign(role) : false;
  const allOnPage = rows.length > 0 && rows.every((t) => selected.includes(t.id));
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  const done = async () => {
    setDialog(undefined);
    setSelected([]);
    await queryClient.invalidateQueries();
  };
  const sendReminders = async (message: string) => {
    try {
      const r = await remind(
        chosen.map((t) => t.id),
        message || undefined,
      );
      notify('supervision.reminded', { type: 'success', messageArgs: { n: r.reminded.length, m: r.alreadyToday.length } });
    } catch (err) {
      notify(rejectionOf(err).message, { type: 'error' });
    }
    await done();
  };
  const reassignTo = async (u: { id: number; displayName: string }) => {
    try {
      const r = await reassign(
        chosen.map((t) => t.id),
        u.id,
      );
      notify('supervision.reassigned', { type: 'success', messageArgs: { n: r.assigned.length, name: u.displayName } });
    } catch (err) {
      const r = rejectionOf(err);
      notify(Object.values(r.errors)[0] ?? r.message, { type: 'error' });
    }
    await done();
  };

  return (
    <Box data-testid="overdue-tasks">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 1 }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {translate('supervision.selected', { n: selected.length, total: total ?? 0 })}
        </Typography>
        {mayRemind && (
          <Button variant="contained" size="small" startIcon={<NotificationsActiveIcon />} disabled={!chosen.length} onClick={() => setDialog('remind')}>
            {translate('supervision.remind')}
          </Button>
        )}
        {mayReassign && (
          <Button variant="outlined" size="small" startIcon={<SwapHorizIcon />} disabled={!chosen.length} onClick={() => setDialog('reassign')}>
            {translate('supervision.reassign')}
          </Button>
        )}
      </Stack>
      {!isPending && rows.length === 0 ? (
        <Typography variant="body2">{translate('supervision.noOverdue')}</Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          {/* One line per task: on a phone the table scrolls sideways in its box rather than wrapping letter by letter. */}
          <Table size="small" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={allOnPage}
                    indeterminate={!allOnPage && chosen.length > 0}
                    onChange={() => setSelected(allOnPage ? [] : rows.map((t) => t.id))}
                    slotProps={{ input: { 'aria-label': translate('supervision.selectAll') } }}
                  />
                </TableCell>
                <TableCell>{translate('supervision.subject')}</TableCell>
                <TableCell sx={WIDE_ONLY}>{translate('resources.tasks.fields.type')}</TableCell>
                <TableCell sx={WIDE_ONLY}>{translate('resources.tasks.fields.regionName')}</TableCell>
                <TableCell sx={WIDE_ONLY}>{translate('resources.tasks.fields.dueAt')}</TableCell>
                <TableCell>{translate('supervision.overdueFor')}</TableCell>
                <TableCell sx={WIDE_ONLY}>{translate('resources.tasks.fields.assigneeName')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((t) => (
                <TableRow key={t.id} hover selected={selected.includes(t.id)} data-task-id={t.id}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={selected.includes(t.id)}
                      onChange={() => toggle(t.id)}
                      slotProps={{ input: { 'aria-label': t.caseNo ?? t.patchCode } }}
                    />
                  </TableCell>
                  <TableCell>
                    <Link href={`#/tasks/${encodeURIComponent(t.id)}/show`}>{t.caseNo ?? t.patchCode}</Link>
                    {/* On a phone the columns left out, under the subject, wrapping by words. */}
                    <Typography
                      variant="caption"
                      color="text.secondary"
                      component="div"
                      sx={{ display: { sm: 'none' }, whiteSpace: 'normal' }}
                      data-testid="overdue-task-details"
                    >
                      {translate(`enums.taskType.${t.type}`)} · <UserText>{t.regionName}</UserText> ·{' '}
                      {t.assigneeName ? <UserText>{t.assigneeName}</UserText> : translate('inbox.unassigned')}
                    </Typography>
                  </TableCell>
                  <TableCell sx={WIDE_ONLY}>{translate(`enums.taskType.${t.type}`)}</TableCell>
                  <TableCell sx={WIDE_ONLY}>
                    <UserText>{t.regionName}</UserText>
                  </TableCell>
                  <TableCell sx={WIDE_ONLY}>{formatDateTime(t.dueAt)}</TableCell>
                  <TableCell sx={{ color: 'error.main', whiteSpace: 'nowrap' }}>{overdueLabel(translate, overdueDays(t.dueAt))}</TableCell>
                  <TableCell sx={WIDE_ONLY}>{t.assigneeName ? <UserText>{t.assigneeName}</UserText> : translate('inbox.unassigned')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {(total ?? 0) > PER_PAGE && <Pagination sx={{ mt: 1 }} count={Math.ceil((total ?? 0) / PER_PAGE)} page={page} onChange={(_, p) => setPage(p)} />}
      <RemindDialog open={dialog === 'remind'} count={chosen.length} onClose={() => setDialog(undefined)} onSend={sendReminders} />
      <ReassignDialog open={dialog === 'reassign'} tasks={chosen} regionCode={regionCode} onClose={() => setDialog(undefined)} onPick={reassignTo} />
    </Box>
  );
}
