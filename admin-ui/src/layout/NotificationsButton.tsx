/**
 * The notifications menu in the app bar: a bell with the number of unread notices (overdue work,
 * escalations, reminders, send-backs and resubmissions) addressed to the user or to its region and role, each in the UI's language
 * (NoticeText.tsx); opening one marks it read and goes to its task.
 */
import DoneAllIcon from '@mui/icons-material/DoneAll';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { Badge, Box, Button, Divider, IconButton, List, ListItemButton, ListItemText, Popover, Tooltip, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useGetList, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import { httpClient } from '../dataProvider';
import { useNoticeText, type Notice } from './NoticeText';

function NoticeItem({ n, chinese, onOpen }: { n: Notice; chinese: boolean; onOpen: (n: Notice) => void }) {
  const { primary, secondary } = useNoticeText(n, chinese);
  return (
    <ListItemButton onClick={() => onOpen(n)} sx={{ alignItems: 'flex-start', bgcolor: n.readAt ? undefined : 'action.hover' }} data-kind={n.kind}>
      <ListItemText primary={primary} secondary={secondary} slotProps={{ primary: { sx: { fontWeight: n.readAt ? 400 : 600 } } }} />
    </ListItemButton>
  );
}

export function NotificationsButton() {
  const translate = useTranslate();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const unread = useGetList<Notice>('notifications', { filter: { unread: true }, pagination: { page: 1, perPage: 1 } });
  const recent = useGetList<Notice>('notifications', { pagination: { page: 1, perPage: 15 } }, { enabled: Boolean(anchor) });
  const count = unread.total ?? 0;
  const [locale] = useLocaleState();
  const chinese = locale.startsWith('zh');
  // New notices (overdue work, reminders) show up within half a minute.
  const { refetch } = unread;
  useEffect(() => {
    const timer = setInterval(() => void refetch(), 30_000);
    return () => clearInterval(timer);
  }, [refetch]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const open = async (n: Notice) => {
    setAnchor(null);
    if (!n.readAt) await httpClient(`/api/notifications/${n.id}/read`, { method: 'POST', body: '{}' }).catch(() => undefined);
    await refresh();
    if (n.taskId) redirect(`/tasks/${encodeURIComponent(n.taskId)}/show`);
    else if (n.patchCode) redirect(`/patches/${encodeURIComponent(n.patchCode)}/show`);
  };
  const readAll = async () => {
    await httpClient('/api/notifications/read-all', { method: 'POST', body: '{}' }).catch(() => undefined);
    await refresh();
  };

  return (
    <>
      <Tooltip title={translate('notifications.title')}>
        <IconButton
          color="inherit"
          onClick={(e) => setAnchor(e.currentTarget)}
          aria-label={translate('notifications.title')}
          data-testid="notifications-button"
        >
          <Badge badgeContent={count} color="error" max={99}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={Boolean(anchor)}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: { xs: 'calc(100vw - 16px)', sm: 400 }, maxHeight: 480 } } }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', px: 2, py: 1 }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate('notifications.title')}
          </Typography>
          <Button size="small" startIcon={<DoneAllIcon />} onClick={readAll} disabled={count === 0}>
            {translate('notifications.readAll')}
          </Button>
        </Box>
        <Divider />
        {recent.data?.length ? (
          <List dense data-testid="notifications-list">
            {recent.data.map((n) => (
              <NoticeItem key={n.id} n={n} chinese={chinese} onOpen={open} />
            ))}
          </List>
        ) : (
          <Typography variant="body2" sx={{ p: 2 }}>
            {translate('notifications.empty')}
          </Typography>
        )}
      </Popover>
    </>
  );
}
