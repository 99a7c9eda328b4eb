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

export interface ServerRejection {
  status?: number;
  message: string;
  /** Field path → message, exactly as the server sent them. */
  errors: Record<string, string>;
}

/** Reads the error fetchUtils.fetchJson throws (HttpError: status, message, body). */
export function rejectionOf(error: unknown): ServerRejection {
  const e = error as { status?: number; message?: string; body?: { message?: string; errors?: Record<string, string> } };
  return { status: e?.status, message: e?.body?.message ?? e?.message ?? String(error), errors: e?.body?.errors ?? {} };
}
