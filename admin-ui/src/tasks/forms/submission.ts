/**
 * Submitting a completion: one Idempotency-Key per distinct payload (a double click or a retry of the
 * same payload reuses it, so it takes effect once; a corrected payload gets a new one), and the server's
 * 422 `errors` (keyed by dotted payload paths) returned as react-hook-form field errors.
 */

/** Random hex; getRandomValues works outside secure contexts too (a phone on http://<LAN address>). */
const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export function idempotencyKeys() {
  let last: { body: string; key: string } | undefined;
  return (payload: unknown): string => {
    const body = JSON.stringify(payload);
    if (last?.body !== body) last = { body, key: `ui-${randomKey()}` };
    return last.key;
  };
}

export interface ServerIssue {
  path: string;
  message: string;
  /** A region rule the determination breaks (RuleViolation), e.g. "other_forbidden". */
  rule?: string;
}

export interface ServerRejection {
  status?: number;
  message: string;
  /** Field path → message, exactly as the server sent them. */
  errors: Record<string, string>;
  issues: ServerIssue[];
}

/** Reads the error fetchUtils.fetchJson throws (HttpError: status, message, body). */
export function rejectionOf(error: unknown): ServerRejection {
  const e = error as { status?: number; message?: string; body?: { message?: string; errors?: Record<string, string>; issues?: ServerIssue[] } };
  return { status: e?.status, message: e?.body?.message ?? e?.message ?? String(error), errors: e?.body?.errors ?? {}, issues: e?.body?.issues ?? [] };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * The field errors in the UI's language. The server writes rule violations in Chinese and names the rule;
 * outside Chinese they are translated here from the rule (with the farmland question named by the path's
 * last segment). Other messages are the server's, in the language it was asked for.
 */
export function localizedErrors(r: ServerRejection, translate: Translate, locale: string): Record<string, string> {
  if (locale.startsWith('zh')) return r.errors;
  const out = { ...r.errors };
  for (const issue of r.issues) {
    if (!issue.rule) continue;
    const flag = issue.path.split('.').pop() ?? '';
    out[issue.path] = translate(`form.ruleViolation.${issue.rule}`, { question: translate(`enums.farmlandFlag.${flag}`, { _: flag }), _: issue.message });
  }
  return out;
}
