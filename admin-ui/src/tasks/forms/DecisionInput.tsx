/** The decision of a task with alternatives (pass / send back, confirm / overturn, …). */
import { RadioButtonGroupInput, required } from 'react-admin';

export function DecisionInput({ choices }: { choices: Array<{ id: string; name: string }> }) {
  return <RadioButtonGroupInput source="decision" label="form.decision" choices={choices} validate={required()} row />;
}
