/** The officer's inbox: open tasks of the region, due soonest first, overdue ones marked. */
import { Chip } from '@mui/material';
import {
  BooleanInput,
  Datagrid,
  DateField,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  TextField,
  useTranslate,
} from 'react-admin';
import { choices } from '../i18n';
import { SHANGHAI_DATETIME } from '../format';

interface TaskRow {
  id: string;
  type: string;
  status: string;
  stage?: string;
  dueAt?: string;
  overdue: boolean;
}

const DAY = 24 * 3600 * 1000;

export function DueChip({ record }: { record: TaskRow }) {
  const translate = useTranslate();
  if (record.status !== 'open' || !record.dueAt) return null;
  if (record.overdue) return <Chip size="small" color="error" label={translate('app.overdue')} />;
  if (new Date(record.dueAt).getTime() - Date.now() < 3 * DAY) return <Chip size="small" color="warning" label={translate('app.dueSoon')} />;
  return null;
}

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={choices('taskStatus')} alwaysOn />,
  <SelectInput key="type" source="type" choices={choices('taskType')} />,
  <BooleanInput key="overdue" source="overdue" />,
];

export function TaskList() {
  const translate = useTranslate();
  return (
    <List filters={filters} filterDefaultValues={{ status: 'open' }} sort={{ field: 'dueAt', order: 'ASC' }} perPage={25}>
      <Datagrid rowClick={false} bulkActionButtons={false}>
        <TextField source="patchCode" />
        <FunctionField source="type" render={(r: TaskRow) => translate(`enums.taskType.${r.type}`)} />
        <TextField source="regionName" />
        <FunctionField source="stage" sortable={false} render={(r: TaskRow) => (r.stage ? translate(`enums.stage.${r.stage}`) : '')} />
        <DateField source="dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
        <FunctionField label="resources.tasks.fields.overdue" render={(r: TaskRow) => <DueChip record={r} />} />
        <FunctionField source="status" render={(r: TaskRow) => translate(`enums.taskStatus.${r.status}`)} />
      </Datagrid>
    </List>
  );
}
