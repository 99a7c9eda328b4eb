/** An audit action as words: a named action ("task.claimed"), or "<task type>.<event>" composed from both names. */
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function actionLabel(translate: Translate, action: string): string {
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
