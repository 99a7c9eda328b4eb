/** The inbox's filters: stage, task type, category, batch, region (a picker over the user's subtree), due before, overdue. */
import { AutocompleteInput, DateInput, NullableBooleanInput, ReferenceInput, SearchInput, SelectInput, TextInput } from 'react-admin';
import { choices } from '../i18n';

interface RegionRow {
  code: string;
  name: string;
}

export const inboxFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={choices('taskStatus')} alwaysOn />,
  <SelectInput key="type" source="type" choices={choices('taskType')} />,
  <SelectInput key="stage" source="stage" choices={choices('stage')} />,
  <SelectInput key="category" source="category" choices={choices('category')} />,
  <TextInput key="batchCode" source="batchCode" />,
  <ReferenceInput key="regionCode" source="regionCode" reference="regions" filter={{ subtree: true }} sort={{ field: 'code', order: 'ASC' }}>
    <AutocompleteInput
      optionText={(r: RegionRow) => `${r.name}（${r.code}）`}
      filterToQuery={(q: string) => ({ q })}
      label="resources.tasks.fields.regionCode"
    />
  </ReferenceInput>,
  <DateInput key="dueBefore" source="dueBefore" />,
  <NullableBooleanInput key="overdue" source="overdue" />,
];
