/** The batch imports of the region, newest first. */
import { Datagrid, DateField, FunctionField, List, NumberField, TextField } from 'react-admin';
import { SHANGHAI_DATETIME } from '../format';
import { ImportProgress, StatusChip, type ImportRecord } from './ImportStatus';

export function ImportList() {
  return (
    <List sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
        <TextField source="batchCode" />
        <TextField source="fileName" sortable={false} />
        <FunctionField source="status" render={(r: ImportRecord) => <StatusChip record={r} />} />
        <FunctionField source="percent" sortable={false} render={(r: ImportRecord) => <ImportProgress record={r} compact />} />
        <NumberField source="total" sortable={false} />
        <NumberField source="started" sortable={false} />
        <NumberField source="rejected" sortable={false} />
        <TextField source="createdBy" sortable={false} />
      </Datagrid>
    </List>
  );
}
