/**
 * The simulated users' only way in: the HTTP API, with plain fetch and a bearer token per user (demo
 * password). Counts requests and their time, so the run can say where its time went.
 */
import { jpeg } from '../../test/support/evidence-files';

export interface Answer<T = any> {
  status: number;
  body: T;
}

export class SimApi {
  private tokens = new Map<string, string>();
  requests = 0;
  requestMs = 0;
  /** Requests that answered 5xx or failed to connect: the first thing to break under load. */
  failures: string[] = [];

  constructor(private readonly baseUrl: string) {}

  async token(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const res = await this.raw('POST', '/api/auth/login', undefined, { username, password: 'wpzf2026' });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.tokens.set(username, res.body.token);
    return res.body.token;
  }

  async call<T = any>(user: string, method: string, path: string, body?: unknown): Promise<Answer<T>> {
    return this.raw(method, path, await this.token(user), body);
  }

  /** Every row of a list, page by page (the API's pages are at most 500 rows). */
  async list<T = any>(user: string, resource: string, filter: Record<string, unknown>): Promise<T[]> {
    const out: T[] = [];
    for (let start = 0; ; start += 500) {
      const q = `filter=${encodeURIComponent(JSON.stringify(filter))}&range=${encodeURIComponent(JSON.stringify([start, start + 499]))}`;
      const res = await this.call<T[]>(user, 'GET', `/api/${resource}?${q}`);
      if (res.status !== 200) throw new Error(`list ${resource} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.body);
      if (res.body.length < 500) return out;
    }
  }

  /** Uploads a site photo with GPS for a patch (the evidence an illegal determination needs); returns its entry. */
  async sitePhoto(user: string, patchCode: string, gps: { lat: number; lng: number }, taken: string) {
    const bytes = jpeg({ ...gps, dateTimeOriginal: taken, offset: '+08:00', description: patchCode });
    const form = new FormData();
    form.append('patchCode', patchCode);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), '现场照片.jpg');
    const t0 = performance.now();
    const res = await fetch(`${this.baseUrl}/api/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await this.token(user)}` }, body: form });
    this.count(t0, res.status, 'POST /api/evidence');
    const text = await res.text();
    if (res.status !== 201 && res.status !== 200) throw new Error(`upload for ${patchCode}: ${res.status} ${text}`);
    const { createHash } = await import('node:crypto');
    return { sha256: createHash('sha256').update(bytes).digest('hex'), kind: 'photo' as const, gps };
  }

  /** The body of a GET as text (the report's CSV). */
  async text(user: string, path: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${await this.token(user)}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
    return text;
  }

  private count(t0: number, status: number, what: string) {
    this.requests++;
    this.requestMs += performance.now() - t0;
    if (status >= 500) this.failures.push(`${what} → ${status}`);
  }

  private async raw(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
    const t0 = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      this.failures.push(`${method} ${path.split('?')[0]} → ${String(err)}`);
      throw err;
    }
    const text = await res.text();
    this.count(t0, res.status, `${method} ${path.split('?')[0]}`);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as any };
  }
}
