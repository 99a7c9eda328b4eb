/**
 * Evidence upload (POST /api/evidence, multipart): content-hash storage (the same file stored once),
 * EXIF GPS and capture time read from a JPEG written in the test, warnings (far from the patch, taken
 * before issuance, no GPS; each with the values it names as params), video metadata, rejected files (4xx
 * naming the field with a code, in Chinese or English as asked, nothing stored), and who may fetch a file back.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_CLOCK_TOLERANCE_MINUTES, GPS_FAR_FROM_PATCH_METRES, MAX_PHOTO_BYTES } from '../domain/evidence';
import { jpeg, mp4 } from './support/evidence-files';
import { issueAndWaitForTask } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

// The fixture patch: a square of about 87 m × 111 m at 106.280–106.281 E, 38.470–38.471 N (兴庆区).
const INSIDE = { lat: 38.4705, lng: 106.2805 };
const ISSUED_AT = '2026-05-01T02:00:00Z';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

async function upload(username: string, patchCode: string | undefined, file: Buffer | undefined, opts: { name?: string; type?: string; lang?: string } = {}) {
  const form = new FormData();
  if (patchCode !== undefined) form.append('patchCode', patchCode);
  if (file) form.append('file', new Blob([new Uint8Array(file)], { type: opts.type ?? 'image/jpeg' }), opts.name ?? 'photo.jpg');
  const res = await fetch(`${sys.baseUrl}/api/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await sys.login(username)}`, ...(opts.lang ? { 'accept-language': opts.lang } : {}) },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const storedFiles = () =>
  readdirSync(sys.uploadsDir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('tmp') && statSync(path.join(sys.uploadsDir, f)).isFile());
const rowsFor = async (code: string) =>
  sys.sql`select sha256, kind, mime, size, original_name, gps_lat, gps_lng, captured_at, uploaded_by from evidence_files where patch_code = ${code}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('uploading a photo', () => {
  it('stores it under its SHA-256 and answers with the GPS and capture time read from EXIF', async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const photo = jpeg({ ...INSIDE, dateTimeOriginal: '2026:05:03 10:20:30', description: code });
    const res = await upload('xq.officer', code, photo, { name: '现场照片1.jpg' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sha256: sha(photo),
      kind: 'photo',
      name: '现场照片1.jpg',
      mime: 'image/jpeg',
      size: photo.length,
      gps: { lat: INSIDE.lat, lng: INSIDE.lng },
      // EXIF local time without an offset is Beijing time.
      capturedAt: '2026-05-03T02:20:30.000Z',
      duplicate: false,
      warnings: [],
    });
    const stored = path.join(sys.uploadsDir, sha(photo).slice(0, 2), sha(photo));
    expect(readFileSync(stored).equals(photo)).toBe(true);
    const [row] = await rowsFor(code);
    expect(row).toMatchObject({
      sha256: sha(photo),
      kind: 'photo',
      mime: 'image/jpeg',
      original_name: '现场照片1.jpg',
      gps_lat: INSIDE.lat,
      gps_lng: INSIDE.lng,
    });
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code} and action = 'evidence.uploaded'`;
    expect(n).toBe(1);
  });

  it('stores the same file once: a second upload is the same record, another patch gets its own record', async () => {
    const a = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const b = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const photo = jpeg({ ...INSIDE, dateTimeOriginal: '2026:05:04 09:00:00', description: `dup-${a.code}` });
    const before = storedFiles().length;
    const first = await upload('xq.officer', a.code, photo);
    const second = await upload('xq.secret', a.code, photo, { name: 'again.jpg' });
    const third = await upload('xq.officer', b.code, photo);
    expect([first.status, second.status, third.status]).toEqual([201, 200, 201]);
    expect(second.body).toMatchObject({ sha256: sha(photo), duplicate: true, name: 'photo.jpg' });
    expect(storedFiles().length).toBe(before + 1);
    expect(await rowsFor(a.code)).toHaveLength(1);
    expect(await rowsFor(b.code)).toHaveLength(1);
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where patch_code = ${a.code} and action = 'evidence.uploaded'`;
    expect(n).toBe(1);
  });

  it(`warns when the GPS point is more than ${GPS_FAR_FROM_PATCH_METRES} m from the polygon, not when it is just outside`, async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const far = await upload('xq.officer', code, jpeg({ lat: 38.48, lng: 106.2805, dateTimeOriginal: '2026:05:03 10:00:00' }));
    expect(far.status).toBe(201);
    const warning = far.body.warnings.find((w: { code: string }) => w.code === 'gps_far_from_patch');
    expect(warning).toBeTruthy();
    // 38.480 is about 1000 m north of the polygon's edge at 38.471.
    expect(warning.distanceMetres).toBeGreaterThan(950);
    expect(warning.distanceMetres).toBeLessThan(1050);
    expect(warning.message).toContain('米');
    // The values the text names, for the UI to word it in either language.
    expect(warning.params).toEqual({ kind: 'photo', distanceMetres: warning.distanceMetres, limitMetres: GPS_FAR_FROM_PATCH_METRES });
    const near = await upload('xq.officer', code, jpeg({ lat: 38.473, lng: 106.2805, dateTimeOriginal: '2026:05:03 10:00:00' }));
    expect(near.body.warnings).toEqual([]);
  });

  it('warns when the photo predates the issuance, and when it carries no GPS or time', async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const old = await upload('xq.officer', code, jpeg({ ...INSIDE, dateTimeOriginal: '2026:04:30 09:00:00', offset: '+08:00' }));
    expect(old.body.capturedAt).toBe('2026-04-30T01:00:00.000Z');
    expect(old.body.warnings.map((w: { code: string }) => w.code)).toEqual(['predates_issuance']);
    expect(old.body.warnings[0].message).toContain('2026-05-01');
    // The patch's issue day (Shanghai) and the capture instant as params, the same whatever the language.
    expect(old.body.warnings[0].params).toEqual({ kind: 'photo', issuedOn: '2026-05-01', capturedAt: '2026-04-30T01:00:00.000Z' });
    const oldEn = await upload('xq.officer', code, jpeg({ ...INSIDE, dateTimeOriginal: '2026:04:30 09:00:00', offset: '+08:00' }), { lang: 'en' });
    expect(oldEn.body.duplicate).toBe(true);
    expect(oldEn.body.warnings).toEqual([
      { code: 'predates_issuance', params: old.body.warnings[0].params, message: expect.stringContaining('before the patch was issued (2026-05-01)') },
    ]);
    expect(oldEn.body.warnings[0].message).not.toMatch(CJK);
    const bare = await upload('xq.officer', code, jpeg({ description: `bare-${code}` }));
    expect(bare.status).toBe(201);
    expect(bare.body.gps).toBeUndefined();
    expect(bare.body.warnings.map((w: { code: string }) => w.code).sort()).toEqual(['no_capture_time', 'no_gps']);
  });

  it(`warns when the capture time is later than the upload by more than ${CAPTURE_CLOCK_TOLERANCE_MINUTES} minutes, not within that clock tolerance`, async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    // EXIF local time with an explicit +00:00 offset, so that the instant is exactly the one written.
    const exif = (at: Date) => ({ dateTimeOriginal: at.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':'), offset: '+00:00' });
    const ahead = new Date(Date.now() + 35 * 60_000);
    const future = await upload('xq.officer', code, jpeg({ ...INSIDE, ...exif(ahead) }));
    expect(future.status).toBe(201);
    const warning = future.body.warnings.find((w: { code: string }) => w.code === 'captured_in_future');
    expect(warning).toBeTruthy();
    expect(warning.params).toMatchObject({
      kind: 'photo',
      capturedAt: new Date(Math.floor(ahead.getTime() / 1000) * 1000).toISOString(),
      toleranceMinutes: CAPTURE_CLOCK_TOLERANCE_MINUTES,
    });
    expect(warning.message).toContain('晚于上传时间');
    // Listed later, the warning stands: it compares with the upload, not with the time of the listing.
    const listed = await sys.http('GET', `/api/evidence?filter=${encodeURIComponent(JSON.stringify({ patchCode: code }))}`, {
      token: await sys.login('xq.officer'),
      headers: { 'accept-language': 'en' },
    });
    const again = (listed.body as Array<{ sha256: string; warnings: Array<{ code: string; message: string }> }>).find((e) => e.sha256 === future.body.sha256);
    expect(again?.warnings.find((w) => w.code === 'captured_in_future')?.message).toContain('later than its upload');
    // A phone clock a couple of minutes fast is within the tolerance.
    const slightly = await upload('xq.officer', code, jpeg({ ...INSIDE, ...exif(new Date(Date.now() + 2 * 60_000)) }));
    expect(slightly.body.warnings).toEqual([]);
  });

  it("reads a video's creation time and ©xyz location", async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const video = mp4({ createdAt: new Date('2026-05-05T03:04:05Z'), ...INSIDE });
    const res = await upload('xq.officer', code, video, { name: 'walk.mp4', type: 'video/mp4' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'video', mime: 'video/mp4', gps: INSIDE, capturedAt: '2026-05-05T03:04:05.000Z', warnings: [] });
  });
});

describe('rejected uploads change nothing', () => {
  it('a file that is neither photo nor video: 415 naming the file, whatever the browser claims', async () => {
    const { code } = await issueAndWaitForTask(sys);
    const before = storedFiles().length;
    const pdf = await upload('xq.officer', code, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'), { name: 'x.jpg', type: 'image/jpeg' });
    expect(pdf.status).toBe(415);
    expect(Object.keys(pdf.body.errors)).toEqual(['file']);
    expect(pdf.body.errors.file).toContain('不支持的文件类型');
    expect(pdf.body.issues[0]).toMatchObject({ code: 'unsupported_type', params: { declared: 'image/jpeg' } });
    const pdfEn = await upload('xq.officer', code, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'), { name: 'x.jpg', type: 'image/jpeg', lang: 'en' });
    expect(pdfEn.body.errors.file).toMatch(/^unsupported file type \(image\/jpeg\)/);
    expect(JSON.stringify(pdfEn.body)).not.toMatch(CJK);
    expect(storedFiles().length).toBe(before);
    expect(readdirSync(path.join(sys.uploadsDir, 'tmp'))).toEqual([]);
    expect(await rowsFor(code)).toHaveLength(0);
  });

  it('422 naming patchCode or file when missing; 404 for a patch the user may not see; 403 outside the region', async () => {
    const { code } = await issueAndWaitForTask(sys);
    const photo = jpeg({ description: `rej-${code}` });
    const noCode = await upload('xq.officer', undefined, photo);
    expect(noCode.status).toBe(422);
    expect(Object.keys(noCode.body.errors)).toEqual(['patchCode']);
    expect(noCode.body.issues).toEqual([{ path: 'patchCode', code: 'patch_code_required', message: '请指定图斑编号' }]);
    const noCodeEn = await upload('xq.officer', undefined, photo, { lang: 'en' });
    expect(noCodeEn.body.issues).toEqual([{ path: 'patchCode', code: 'patch_code_required', message: 'name the patch (field patchCode)' }]);
    expect(JSON.stringify(noCodeEn.body)).not.toMatch(CJK);
    const noFile = await upload('xq.officer', code, undefined);
    expect(noFile.status).toBe(422);
    expect(Object.keys(noFile.body.errors)).toEqual(['file']);
    const empty = await upload('xq.officer', code, Buffer.alloc(0));
    expect(empty.status).toBe(422);
    expect((await upload('xq.officer', 'NO-SUCH-PATCH', photo)).status).toBe(404);
    expect((await upload('dcf.officer', code, photo)).status).toBe(403);
    const military = await issueAndWaitForTask(sys, { military: true }, { asUser: 'admin', taskType: 'military_report' });
    expect((await upload('xq.officer', military.code, photo)).status).toBe(404);
    expect(await rowsFor(code)).toHaveLength(0);
    expect(storedFiles().some((f) => f.endsWith(sha(photo)))).toBe(false);
  });

  it('a photo over the size limit: 413 naming the file, nothing kept', async () => {
    const { code } = await issueAndWaitForTask(sys);
    const big = Buffer.concat([jpeg({ description: `big-${code}` }), Buffer.alloc(MAX_PHOTO_BYTES)]);
    const res = await upload('xq.officer', code, big);
    expect(res.status).toBe(413);
    expect(Object.keys(res.body.errors)).toEqual(['file']);
    expect(storedFiles().some((f) => f.endsWith(sha(big)))).toBe(false);
    expect(readdirSync(path.join(sys.uploadsDir, 'tmp'))).toEqual([]);
    expect(await rowsFor(code)).toHaveLength(0);
  });

  it('a photo over the size limit stops being received at the limit (not written to disk whole first)', async () => {
    const { code } = await issueAndWaitForTask(sys);
    const big = Buffer.concat([jpeg({ description: `huge-${code}` }), Buffer.alloc(MAX_PHOTO_BYTES * 4)]);
    // The API runs in this process: the largest temporary file it writes is watched while it receives.
    let largest = 0;
    const tmp = path.join(sys.uploadsDir, 'tmp');
    const watch = setInterval(() => {
      for (const f of (() => {
        try {
          return readdirSync(tmp);
        } catch {
          return [];
        }
      })()) {
        try {
          largest = Math.max(largest, statSync(path.join(tmp, f)).size);
        } catch {
          // removed meanwhile
        }
      }
    }, 1);
    const res = await upload('xq.officer', code, big).catch((err) => ({ status: 0, body: String(err) }) as { status: number; body: any });
    clearInterval(watch);
    expect(res.status).toBe(413);
    expect(res.body.errors.file).toBeTruthy();
    expect(largest).toBeLessThan(MAX_PHOTO_BYTES + 4 * 1024 * 1024);
    expect(readdirSync(tmp)).toEqual([]);
    expect(await rowsFor(code)).toHaveLength(0);
  });

  it('a JSON body instead of multipart: 415 naming the file', async () => {
    const res = await sys.http('POST', '/api/evidence', { token: await sys.login('xq.officer'), body: { patchCode: 'x' } });
    expect(res.status).toBe(415);
    expect(res.body.errors.file).toBeTruthy();
  });
});

describe('fetching a file', () => {
  it('serves it to users who may see the patch, and to no one else', async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: ISSUED_AT });
    const photo = jpeg({ ...INSIDE, dateTimeOriginal: '2026:05:03 10:20:30', description: `get-${code}` });
    await upload('xq.officer', code, photo);
    const get = (username: string) =>
      sys.login(username).then((token) => fetch(`${sys.baseUrl}/api/evidence/${sha(photo)}`, { headers: { authorization: `Bearer ${token}` } }));
    const own = await get('yc.reviewer');
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await own.arrayBuffer()).equals(photo)).toBe(true);
    expect((await get('dcf.officer')).status).toBe(404);
    expect((await fetch(`${sys.baseUrl}/api/evidence/${sha(photo)}`)).status).toBe(401);
    const list = await sys.http('GET', `/api/evidence?filter=${encodeURIComponent(JSON.stringify({ patchCode: code }))}`, {
      token: await sys.login('xq.officer'),
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ sha256: sha(photo), gps: INSIDE, warnings: [] })]);
  });
});
