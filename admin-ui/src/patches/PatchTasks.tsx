/** The tasks of a patch (or of a case), newest first, each opening its task page. */
import { Box, useMediaQuery, type Theme } from '@mui/material';
import { Datagrid, DateField, FunctionField, ReferenceManyField, SimpleList, TextField, useTranslate } from 'react-admin';
import { formatDateTime, SHANGHAI_DATETIME } from '../format';
import { DueChip } from '../tasks/DueChip';
import type { TaskRecord } from '../tasks/types';

export function PatchTasks({ patchCode }: { patchCode: string }) {
  return <RelatedTasks target="patchCode" value={patchCode} />;
}

export function RelatedTasks({ target, value }: { target: 'patchCode' | 'caseNo'; value: string }) {
  const translate = useTranslate();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  return (
    <ReferenceManyField reference="tasks" target={target} record={{ id: value }} source="id" sort={{ field: 'openedAt', order: 'DESC' }} perPage={50}>
      {small ? (
        <SimpleList<TaskRecord>
          primaryText={(t) => translate(`enums.taskType.${t.type}`)}
          secondaryText={(t) => `${translate(`enums.taskStatus.${t.status}`)} · ${formatDateTime(t.dueAt)}`}
          tertiaryText={(t) => <DueChip record={t} />}
          linkType="show"
        />
      ) : (
        <Box sx={{ overflowX: 'auto', '& th, & td': { whiteSpace: 'nowrap' } }}>
          <Datagrid rowClick="show" bulkActionButtons={false}>
            <FunctionField source="type" label="resources.tasks.fields.type" render={(t: TaskRecord) => translate(`enums.taskType.${t.type}`)} />
            <TextField source="regionName" label="resources.tasks.fields.regionName" />
            <FunctionField source="status" label="resources.tasks.fields.status" render={(t: TaskRecord) => translate(`enums.taskStatus.${t.status}`)} />
            <DateField source="dueAt" label="resources.tasks.fields.dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
            <FunctionField label="resources.tasks.fields.overdue" render={(t: TaskRecord) => <DueChip record={t} />} />
            <TextField source="assigneeName" label="resources.tasks.fields.assigneeName" emptyText="—" />
            <TextField source="closedByName" label="resources.tasks.fields.closedByName" emptyText="—" />
            <DateField source="closedAt" label="resources.tasks.fields.closedAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
          </Datagrid>
        </Box>
      )}
    </ReferenceManyField>
  );
}
