/** Assign a task to a user of its region subtree who has the task's role (and the classified permission when needed). */
import { Dialog, DialogContent, DialogTitle, List, ListItemButton, ListItemText, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import type { TaskRecord } from './types';

interface UserRow {
  id: number;
  displayName: string;
  username: string;
  regionName?: string;
}

export function AssignDialog({ task, open, onClose, onPick }: { task: TaskRecord; open: boolean; onClose: () => void; onPick: (user: UserRow) => void }) {
  const translate = useTranslate();
  const { data, isPending } = useGetList<UserRow>(
    'users',
    {
      filter: { regionCode: task.regionCode, role: task.role, ...(task.restricted ? { classified: true } : {}) },
      pagination: { page: 1, perPage: 200 },
      sort: { field: 'regionCode', order: 'ASC' },
    },
    { enabled: open },
  );
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>{translate('inbox.assignTitle')}</DialogTitle>
      <DialogContent>
        <Typography variant="caption" color="text.secondary">
          {translate('inbox.assignHint', { role: translate(`enums.role.${task.role}`) })}
        </Typography>
        <List dense>
          {data?.map((u) => (
            <ListItemButton key={u.id} selected={u.id === task.assigneeId} onClick={() => onPick(u)}>
              <ListItemText primary={u.displayName} secondary={`${u.username} · ${u.regionName ?? ''}`} />
            </ListItemButton>
          ))}
        </List>
        {!isPending && !data?.length && <Typography variant="body2">{translate('inbox.noUsers')}</Typography>}
      </DialogContent>
    </Dialog>
  );
}
