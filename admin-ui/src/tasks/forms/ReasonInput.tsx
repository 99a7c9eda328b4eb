/** A reason, required where the payload requires one (at least two characters, as the server checks). */
import { minLength, required, TextInput } from 'react-admin';

export function ReasonInput({ optional = false, label = 'form.reason' }: { optional?: boolean; label?: string }) {
  return <TextInput source="reason" label={label} multiline minRows={2} fullWidth validate={optional ? undefined : [required(), minLength(2)]} />;
}
