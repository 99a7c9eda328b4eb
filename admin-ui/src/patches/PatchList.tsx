/** All patches of the region with their stage and legality. */
import { BooleanField, Datagrid, DateField, FunctionField, List, NumberField, SearchInput, SelectInput, TextField, useTranslate } from 'react-admin';
import { choices } from '../i18n';
import { SHANGHAI_DATE, SHANGHAI_DATETIME } from '../format';

interface PatchRow {
  category: string;
  stage: string;
  legality?: string;
}

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="stage" source="stage" choices={choices('stage')} />,
  <SelectInput key="legality" source="legality" choices={choices('legality')} />,
  <SelectInput key="category" source="category" choices={choices('category')} />,
];

export function PatchList() {
  const translate = useTranslate();
  return (
    <List filters={filters} sort={{ field: 'issuedAt', order: 'DESC' }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="code" />
        <TextField source="regionName" />
        <FunctionField source="category" render={(r: PatchRow) => translate(`enums.category.${r.category}`)} />
        <NumberField source="areaMu" options={{ maximumFractionDigits: 2 }} />
        <DateField source="issuedAt" locales="zh-CN" options={SHANGHAI_DATE} />
        <FunctionField source="stage" render={(r: PatchRow) => translate(`enums.stage.${r.stage}`)} />
        <FunctionField source="legality" render={(r: PatchRow) => (r.legality ? translate(`enums.legality.${r.legality}`) : '')} />
        <BooleanField source="overdue" />
        <DateField source="dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
      </Datagrid>
    </List>
  );
}
