/**
 * The inbox of officers and reviewers: open tasks of the region, due soonest first, overdue and near-due
 * marked; my / unassigned / all tabs; filters and saved queries (the filter button's menu); claim and
 * assign in the row. A list of cards on a phone.
 */
import { Box, useMediaQuery, type Theme } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, SimpleList, useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { formatDateTime, SHANGHAI_DATETIME } from '../format';
import { ClaimActions } from './ClaimActions';
import { DueChip } from './DueChip';
import { InboxTabs } from './InboxTabs';
import { inboxFilters } from './inboxFilters';
import type { TaskRecord } from './types';

export { DueChip } from './DueChip';

function InboxRows() {
  const translate = useTranslate();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  if (small) {
    return (
      <SimpleList<TaskRecord>
        linkType="show"
        primaryText={(t) => `${t.patchCode} · ${translate(`enums.taskType.${t.type}`)}${t.caseNo ? ` · ${translate('case.caseNo')} ${t.caseNo}` : ''}`}
        secondaryText={(t) => (
          <>
            <span>
              <UserText>{t.regionName}</UserText> · {translate('task.dueIn')} {formatDateTime(t.dueAt)}
            </span>
            <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
              <ClaimActions task={t} />
            </Box>
          </>
        )}
        tertiaryText={(t) => <DueChip record={t} />}
      />
    );
  }
  return (
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <FunctionField
        source="patchCode"
        render={(r: TaskRecord) => (
          <>
            {r.patchCode}
            {r.caseNo && (
              <Box component="span" sx={{ display: 'block', color: 'text.secondary', fontSize: '0.75rem' }}>
                {translate('case.caseNo')} {r.caseNo}
              </Box>
            )}
          </>
        )}
      />
      <FunctionField source="type" render={(r: TaskRecord) => translate(`enums.taskType.${r.type}`)} />
      <FunctionField source="regionName" render={(r: TaskRecord) => <UserText>{r.regionName}</UserText>} />
      <FunctionField source="category" sortable={false} render={(r: TaskRecord) => (r.category ? translate(`enums.category.${r.category}`) : '')} />
      <FunctionField source="stage" sortable={false} render={(r: TaskRecord) => (r.stage ? translate(`enums.stage.${r.stage}`) : '')} />
      <DateField source="dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
      <FunctionField label="resources.tasks.fields.overdue" render={(r: TaskRecord) => <DueChip record={r} />} />
      <FunctionField source="status" render={(r: TaskRecord) => translate(`enums.taskStatus.${r.status}`)} />
      <FunctionField label="resources.tasks.fields.assigneeName" render={(r: TaskRecord) => <ClaimActions task={r} />} />
    </Datagrid>
  );
}

export function TaskList() {
  return (
    <List title="inbox.title" filters={inboxFilters} filterDefaultValues={{ status: 'open' }} sort={{ field: 'dueAt', order: 'ASC' }} perPage={25}>
      <InboxTabs />
      <InboxRows />
    </List>
  );
}
