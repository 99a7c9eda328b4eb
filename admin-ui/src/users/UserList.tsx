/** Users of the administrator's subtree: role, region, classified-handling permission, active. */
import { Chip, useMediaQuery, type Theme } from '@mui/material';
import {
  AutocompleteInput,
  BooleanField,
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleList,
  TextField,
  TopToolbar,
  useTranslate,
} from 'react-admin';
import { choices } from '../i18n';

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
  regionName?: string | null;
  classified: boolean;
  active: boolean;
}

const activeChoices = [
  { id: 'all', name: 'users.activeAll' },
  { id: 'inactive', name: 'users.inactiveOnly' },
];

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={choices('role')} />,
  <ReferenceInput key="regionCode" source="regionCode" reference="regions" filter={{ subtree: true }} sort={{ field: 'code', order: 'ASC' }}>
    <AutocompleteInput
      optionText={(r: { code: string; name: string }) => `${r.name}（${r.code}）`}
      filterToQuery={(q: string) => ({ q })}
      label="resources.users.fields.regionCode"
    />
  </ReferenceInput>,
  <SelectInput key="active" source="active" choices={activeChoices} label="resources.users.fields.active" alwaysOn emptyText="users.activeOnly" />,
];

export function UserList() {
  const translate = useTranslate();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  return (
    <List
      filters={filters}
      sort={{ field: 'regionCode', order: 'ASC' }}
      perPage={50}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
    >
      {small ? (
        <SimpleList<UserRecord>
          linkType="edit"
          primaryText={(u) => `${u.displayName}（${u.username}）`}
          secondaryText={(u) => `${translate(`enums.role.${u.role}`)} · ${u.regionName ?? u.regionCode}`}
          tertiaryText={(u) => (u.active ? '' : translate('users.inactive'))}
        />
      ) : (
        <Datagrid rowClick="edit" bulkActionButtons={false}>
          <TextField source="username" />
          <TextField source="displayName" />
          <FunctionField source="role" render={(u: UserRecord) => translate(`enums.role.${u.role}`)} />
          <FunctionField source="regionCode" render={(u: UserRecord) => `${u.regionName ?? ''}（${u.regionCode}）`} />
          <BooleanField source="classified" />
          <FunctionField
            source="active"
            render={(u: UserRecord) => (
              <Chip size="small" color={u.active ? 'success' : 'default'} label={translate(u.active ? 'users.active' : 'users.inactive')} />
            )}
          />
        </Datagrid>
      )}
    </List>
  );
}
