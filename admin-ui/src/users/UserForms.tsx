/**
 * Creating and editing a user: name, role, region (a picker over the administrator's subtree), the
 * classified-handling permission, active; the password on creation and by "reset password" later. The
 * server's 422 field errors land on the fields (react-admin's save shows `errors` from the body).
 */
import LockResetIcon from '@mui/icons-material/LockReset';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField as MuiTextField, Typography } from '@mui/material';
import { useState } from 'react';
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  Edit,
  PasswordInput,
  ReferenceInput,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { httpClient } from '../dataProvider';
import { choices } from '../i18n';
import { rejectionOf } from '../tasks/forms/submission';
import type { UserRecord } from './UserList';

function RegionInput() {
  return (
    <ReferenceInput source="regionCode" reference="regions" filter={{ subtree: true }} sort={{ field: 'code', order: 'ASC' }}>
      <AutocompleteInput
        optionText={(r: { code: string; name: string }) => `${r.name}（${r.code}）`}
        filterToQuery={(q: string) => ({ q })}
        label="resources.users.fields.regionCode"
        validate={required()}
      />
    </ReferenceInput>
  );
}

export function UserCreate() {
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ role: 'officer', classified: false }}>
        <TextInput source="username" validate={required()} helperText="users.usernameHint" />
        <TextInput source="displayName" validate={required()} />
        <SelectInput source="role" choices={choices('role')} validate={required()} />
        <RegionInput />
        <BooleanInput source="classified" helperText="users.classifiedHint" />
        <PasswordInput source="password" validate={required()} helperText="users.passwordHint" />
      </SimpleForm>
    </Create>
  );
}

/** Sets a generated password (shown once) for the user. */
function ResetPasswordButton() {
  const translate = useTranslate();
  const notify = useNotify();
  const user = useRecordContext<UserRecord>();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [generated, setGenerated] = useState<string>();
  const [error, setError] = useState<string>();
  if (!user) return null;
  const submit = async () => {
    setError(undefined);
    try {
      const { json } = await httpClient(`/api/users/${user.id}/password`, { method: 'POST', body: JSON.stringify(password ? { password } : {}) });
      if (json.password) setGenerated(json.password);
      else {
        setOpen(false);
        notify('users.passwordSet', { type: 'success' });
      }
    } catch (err) {
      const r = rejectionOf(err);
      setError(r.errors.password ?? r.message);
    }
  };
  const close = () => {
    setOpen(false);
    setGenerated(undefined);
    setPassword('');
  };
  return (
    <>
      <Button startIcon={<LockResetIcon />} onClick={() => setOpen(true)}>
        {translate('users.resetPassword')}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="xs">
        <DialogTitle>{translate('users.resetPasswordOf', { name: user.displayName })}</DialogTitle>
        <DialogContent>
          {generated ? (
            <Alert severity="success">
              {translate('users.generated')}
              <Typography variant="h6" component="div" sx={{ fontFamily: 'monospace', mt: 1 }} data-testid="generated-password">
                {generated}
              </Typography>
            </Alert>
          ) : (
            <>
              <Typography variant="body2" sx={{ mb: 2 }}>
                {translate('users.resetHint')}
              </Typography>
              <MuiTextField
                type="password"
                label={translate('users.newPassword')}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                error={Boolean(error)}
                helperText={error ?? translate('users.passwordHint')}
                fullWidth
              />
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate(generated ? 'ra.action.close' : 'ra.action.cancel')}</Button>
          {!generated && (
            <Button variant="contained" onClick={submit}>
              {translate(password ? 'users.setPassword' : 'users.generate')}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}

function EditToolbar() {
  return (
    <Toolbar sx={{ gap: 1 }}>
      <SaveButton />
      <ResetPasswordButton />
    </Toolbar>
  );
}

export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="list">
      <SimpleForm toolbar={<EditToolbar />}>
        <TextInput source="username" disabled />
        <TextInput source="displayName" validate={required()} />
        <SelectInput source="role" choices={choices('role')} validate={required()} />
        <RegionInput />
        <BooleanInput source="classified" helperText="users.classifiedHint" />
        <BooleanInput source="active" helperText="users.activeHint" />
      </SimpleForm>
    </Edit>
  );
}
