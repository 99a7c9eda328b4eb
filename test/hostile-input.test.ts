/**
 * The login check cannot be passed by spelling a path differently (public routes are decided by the
 * matched route), and hostile input is a 4xx naming the field: NUL characters anywhere, ids past 32
 * bits, multipart without a boundary or cut short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

/** A raw request: fetch would normalise `.` segments, so the path goes out as written. */
async function raw(method: string, path: string, opts: { token?: string; body?: string | Buffer; contentType?: string } = {}) {
  const { request } = await import('node:http');
  const url = new URL(sys.baseUrl);
  return new Promise<{ status: number; body: any; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.contentType ? { 'content-type': opts.contentType } : {}),
          ...(opts.body !== undefined ? { 'content-length': Buffer.byteLength(opts.body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const issuePaths = (body: any): string[] => [...new Set<string>((body?.issues ?? []).map((i: { path: string }) => i.path))];

describe('the login check is decided by the matched route', () => {
  const spellings = [
    '/api/config',
    '/%61pi/config',
    '/%61%70%69/config',
    '/api/%63onfig',
    '/api/./config',
    '/api/../api/config',
    '//api/config',
    '/api//config',
    '/API/config',
    '/Api/Config',
    '%2Fapi%2Fconfig',
    '/api%2Fconfig',
    '/api/config/',
    '/api/config?x=/api/health',
    '/api/config;/api/health',
    '/api/config#',
    '/api/health/../config',
    '/api/auth/login/../../config',
    '/api/docs/../config',
    '/api/users/%2e%2e/config',
  ];
  it('no spelling of a private path answers without a login (401, or 404/400 when it names nothing)', async () => {
    const answers: string[] = [];
    for (const path of spellings) {
      // Node's HTTP server itself drops a request whose target is not a path (400 and closed).
      const res = await raw('GET', path).catch((err: Error) => ({ status: 400, body: String(err), headers: {} }));
      answers.push(`${path} → ${res.status}`);
      expect([400, 401, 404], `${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('tileUrl');
    }
    // The same spellings of a private route with a list of users.
    for (const path of ['/%61pi/users', '/api/%75sers', '/api/./users', '//api/users', '/API/users', '/api/users/']) {
      const res = await raw('GET', path);
      expect([400, 401, 404], path).toContain(res.status);
      expect(Array.isArray(res.body)).toBe(false);
    }
    console.log(answers.join('; '));
  });

  it('logged in, the decoded spelling reaches the route; the public routes stay public', async () => {
    const token = await sys.login('xq.officer');
    expect((await raw('GET', '/%61pi/config', { token })).status).toBe(200);
    expect((await raw('GET', '/api/health')).status).not.toBe(401);
    expect((await raw('GET', '/%61pi/health')).status).not.toBe(401);
    expect((await raw('GET', '/api/docs/json')).status).toBe(200);
  });
});

describe('a NUL character anywhere is a 422 naming the field', () => {
  it('login username and password', async () => {
    for (const body of [
      { username: 'nx.admin\u0000', password: 'wpzf2026' },
      { username: 'nx.admin', password: 'wpzf\u00002026' },
    ]) {
      const res = await sys.http('POST', '/api/auth/login', { body });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.issues[0]).toMatchObject({ code: 'nul_character' });
      expect(issuePaths(res.body)).toEqual([body.username.includes('\u0000') ? 'username' : 'password']);
    }
  });

  it('path ids, list filters (raw or as \\u0000 inside the JSON), query parameters, JSON keys', async () => {
    const token = await sys.login('nx.admin');
    const cases: Array<[string, string, string, unknown?]> = [
      ['GET', '/api/patches/P%00X', 'params.code'],
      ['GET', '/api/tasks/a%00b', 'params.id'],
      ['GET', '/api/cases/2026%00', 'params.caseNo'],
      ['GET', '/api/imports/IMP%00AAAA', 'params.id'],
      ['GET', '/api/batches/B%00', 'params.code'],
      ['GET', '/api/regions/6401%0004', 'params.code'],
      ['GET', `/api/patches?filter=${encodeURIComponent('{"q":"a')}%00b"}`, 'querystring.filter'],
      ['GET', `/api/users?filter=${encodeURIComponent('{"q":"a\\u0000b"}')}`, 'querystring.filter.q'],
      ['GET', `/api/tasks?filter=${encodeURIComponent('{"patchCode":["x","\\u0000"]}')}`, 'querystring.filter.patchCode.1'],
      ['GET', `/api/audit?sort=${encodeURIComponent('["id\\u0000","ASC"]')}`, 'querystring.sort.0'],
      ['GET', '/api/statistics?regionCode=640000&source=%00', 'querystring.source'],
      ['POST', '/api/patches', 'countyCode', { code: 'PNUL0001', countyCode: '640104\u0000', category: 'other_change', areaMu: 1 }],
      [
        'POST',
        '/api/users',
        'displayName',
        { username: 'nul.user', displayName: '空\u0000字符', role: 'officer', regionCode: '640104', password: 'Secret-2026' },
      ],
      ['PUT', '/api/regions/640000/policy', 'a\\u0000', { 'a\u0000': 1 }],
    ];
    for (const [method, path, field, body] of cases) {
      const res = await sys.http(method, path, { token, body });
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(issuePaths(res.body), path).toEqual([field]);
      expect(res.body.issues[0].code).toBe('nul_character');
    }
    expect((await sys.sql`select count(*)::int as n from users where username = 'nul.user'`)[0].n).toBe(0);
  });

  it('a batch name and a mapping in an import upload', async () => {
    const token = await sys.login('nx.admin');
    const boundary = 'nulBoundary';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.geojson"\r\nContent-Type: application/geo+json\r\n\r\n{"type":"FeatureCollection","features":[]}\r\n`;
    for (const [name, value, field] of [
      ['batchName', '批次\u0000名', 'batchName'],
      ['mapping', '{"code":"BH\\u0000"}', 'mapping.code'],
    ] as const) {
      const body = `${part('batchCode', 'BNUL2026')}${part('source', 'ministry')}${part(name, value)}${file}--${boundary}--\r\n`;
      const res = await raw('POST', '/api/imports', { token, body, contentType: `multipart/form-data; boundary=${boundary}` });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(issuePaths(res.body)).toEqual([field]);
    }
    expect((await sys.sql`select count(*)::int as n from batches where code = 'BNUL2026'`)[0].n).toBe(0);
  });
});

describe('numbers past 32 bits and malformed multipart', () => {
  it('ids past 32 bits are a 422 naming the id, in the path, a body and a list filter', async () => {
    const token = await sys.login('nx.admin');
    for (const path of ['/api/users/2147483648', '/api/users/99999999999999999999', '/api/notifications/4294967296/read']) {
      const res = await sys.http(path.endsWith('read') ? 'POST' : 'GET', path, { token });
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(issuePaths(res.body)).toEqual(['params.id']);
    }
    const put = await sys.http('PUT', '/api/users/2147483648', { token, body: { displayName: '某人某人' } });
    expect(issuePaths(put.body)).toEqual(['params.id']);
    const reassign = await sys.http('POST', '/api/supervision/reassign', { token, body: { taskIds: ['T1'], userId: 2 ** 31 } });
    expect(reassign.status).toBe(422);
    expect(issuePaths(reassign.body)).toEqual(['userId']);
    const filtered = await sys.http('GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ id: [2 ** 31, 2 ** 53 + 2, 1] }))}`, { token });
    expect(filtered.status).toBe(200);
  });

  it('multipart without a boundary, with a wrong one, or cut short is a 4xx naming the file', async () => {
    const token = await sys.login('nx.admin');
    const officer = await sys.login('xq.officer');
    const bodies: Array<[string, string]> = [
      ['multipart/form-data', '--x\r\n\r\n'],
      ['multipart/form-data; boundary=', 'anything'],
      ['multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\nPK'],
      ['multipart/form-data; boundary=abc', '--abc\r\n\r\n'],
    ];
    for (const [path, who] of [
      ['/api/imports', token],
      ['/api/evidence', officer],
    ] as const) {
      for (const [contentType, body] of bodies) {
        const res = await raw('POST', path, { token: who, body, contentType });
        expect(res.status, `${path} ${contentType}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(issuePaths(res.body)).toContain('file');
      }
    }
  });

  it('a body fastify cannot read is a 4xx naming the body', async () => {
    const token = await sys.login('nx.admin');
    for (const [contentType, body, status] of [
      ['application/json', '{"a":', 400],
      ['application/json', '', 400],
      ['application/xml', '<a/>', 415],
    ] as const) {
      const res = await raw('POST', '/api/users', { token, body, contentType });
      expect(res.status, `${contentType} ${body}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(issuePaths(res.body)).toEqual(['body']);
    }
  });

  it('a PostgreSQL data exception behind the schemas is a 400, not a 500', async () => {
    const { requestFaultOf } = await import('../api/request-errors');
    // As postgres.js raises it, wrapped by drizzle (DrizzleQueryError.cause).
    const pg = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021', column: 'username' });
    const wrapped = Object.assign(new Error('Failed query'), { cause: pg });
    for (const err of [pg, wrapped, Object.assign(new Error('x'), { code: '22P02' }), Object.assign(new Error('x'), { code: '22003' })]) {
      const mapped = requestFaultOf(err);
      expect(mapped?.status).toBe(400);
      expect(mapped?.issues[0].path).toBeTruthy();
    }
    expect(requestFaultOf(wrapped)?.issues[0].path).toBe('username');
    expect(requestFaultOf(Object.assign(new Error('x'), { code: '23505' }))).toBeUndefined();
    expect(requestFaultOf(new Error('boom'))).toBeUndefined();
  });
});
