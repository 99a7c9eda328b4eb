/** The region an administrator works on: one of its jurisdiction (the regions API's subtree), by name or code. */
import { AutocompleteInput, ReferenceInput, required } from 'react-admin';

export function JurisdictionInput({ label }: { label: string }) {
  return (
    <ReferenceInput source="regionCode" reference="regions" filter={{ subtree: true }} sort={{ field: 'code', order: 'ASC' }}>
      <AutocompleteInput
        optionText={(r: { code: string; name: string }) => `${r.name}（${r.code}）`}
        filterToQuery={(q: string) => ({ q })}
        label={label}
        validate={required()}
        sx={{ minWidth: 320 }}
      />
    </ReferenceInput>
  );
}
