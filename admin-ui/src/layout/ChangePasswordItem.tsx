/** 修改密码 / Change password: in the user menu, a small form calling POST /api/auth/password. */
import LockIcon from '@mui/icons-material/Lock';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, ListItemIcon, ListItemText, MenuItem, Stack, TextField } from '@mui/material';
import { forwardRef, useState } from 'react';
import { useNotify, useTranslate, useUserMenu } from 'react-admin';
import { httpClient } from '../dataProvider';
import { rejectionOf } from '../tasks/forms/submission';

export const ChangePasswordItem = forwardRef<HTMLLIElement>(function ChangePasswordItem(_props, ref) {
  const translate = useTranslate();
  const notify = useNotify();
  const userMenu = useUserMenu();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const close = () => {
    setOpen(false);
    setForm({ currentPassword: '', newPassword: '', confirm: '' });
    setErrors({});
    setMessage(undefined);
    userMenu?.onClose();
  };
  const submit = async () => {
    setErrors({});
    setMessage(undefined);
    if (form.newPassword !== form.confirm) {
      setErrors({ confirm: translate('account.mismatch') });
      return;
    }
    try {
      await httpClient('/api/auth/password', {
        method: 'POST',
        body: JSON.stringify({ currentPassword: form.currentPassword, newPassword: form.newPassword }),
      });
      notify('account.changed', { type: 'success' });
      close();
    } catch (err) {
      const r = rejectionOf(err);
      setErrors(r.errors);
      if (!r.errors.currentPassword && !r.errors.newPassword) setMessage(r.message);
    }
  };
  const field = (name: 'currentPassword' | 'newPassword' | 'confirm', label: string, helper?: string) => (
    <TextField
      type="password"
      name={name}
      label={translate(label)}
      value={form[name]}
      onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      error={Boolean(errors[name])}
      helperText={errors[name] ?? helper}
      autoComplete={name === 'currentPassword' ? 'current-password' : 'new-password'}
      fullWidth
    />
  );
  return (
    <>
      <MenuItem ref={ref} onClick={() => setOpen(true)} data-testid="change-password">
        <ListItemIcon>
          <LockIcon fontSize="small" />
        </ListItemIcon>
        <ListItemText>{translate('account.changePassword')}</ListItemText>
      </MenuItem>
      <Dialog open={open} onClose={close} fullWidth maxWidth="xs">
        <DialogTitle>{translate('account.changePassword')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            {message && <Alert severity="error">{message}</Alert>}
            {field('currentPassword', 'account.currentPassword')}
            {field('newPassword', 'account.newPassword', translate('account.hint'))}
            {field('confirm', 'account.confirmPassword')}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" onClick={submit} disabled={!form.currentPassword || !form.newPassword}>
            {translate('ra.action.save')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
});
