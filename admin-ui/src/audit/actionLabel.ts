/**
 * An audit action as words: a named action ("task.claimed"), or "<task type>.<event>" composed from both names.
 * A completion that decided something says what (`decision`: the result's decision): 内业审核：审核退回 and
 * 内业审核：审核通过, not both "办结".
 */
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function actionLabel(translate: Translate, action: string, decision?: string): string {
  if (decision && action.endsWith('.completed')) {
    const type = action.slice(0, -'.completed'.length);
    const outcome = `audit.outcome.${type}.${decision}`;
    const said = translate(outcome);
    if (said !== outcome) return translate('audit.compose', { subject: translate(`enums.taskType.${type}`, { _: type }), event: said });
  }
  const named = `audit.action.${action}`;
  const label = translate(named);
  if (label !== named) return label;
  const dot = action.lastIndexOf('.');
  if (dot < 0) return action;
  const subject = action.slice(0, dot);
  const event = action.slice(dot + 1);
  const subjectLabel = translate(`enums.taskType.${subject}`, { _: subject });
  const eventLabel = translate(`audit.event.${event}`, { _: event });
  return translate('audit.compose', { subject: subjectLabel, event: eventLabel });
}
