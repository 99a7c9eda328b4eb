/**
 * Evidence collected once, used everywhere, and taken out in bulk (over HTTP, against the real servers): a photo's
 * direction (EXIF GPSImgDirection) stored and answered; the patch's earlier evidence and its split parent's offered
 * again by code lineage and linked without a second upload; a region's or a batch's evidence as a streamed zip — one
 * folder per patch code with the files and the determination, a CSV and a JSON manifest with hash, GPS, direction,
 * time and the determination — with military patches only for a holder of the classified-handling permission.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { patchLineage } from '../api/routes/evidence';
import { jpeg } from './support/evidence-files';
import { completeAs, determination, issueAndWaitForTask, SITE } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

async function upload(user: string, patchCode: string, bytes: Buffer, name: string) {
  const form = new FormData();
  form.append('patchCode', patchCode);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name);
  const res = await fetch(`${sys.baseUrl}/api/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await sys.login(user)}` }, body: form });
  expect(res.status).toBe(201);
  return res.json();
}

/** The zip's entries, name → bytes. */
function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function download(user: string, query: string) {
  const res = await fetch(`${sys.baseUrl}/api/evidence/export?${query}`, { headers: { authorization: `Bearer ${await sys.login(user)}` } });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

describe('evidence: direction, reuse by lineage, bulk export', () => {
  it('names the parent codes of a split child (parent code plus _1, _2 …) and nothing else', () => {
    expect(patchLineage('P1_2_1')).toEqual(['P1_2_1', 'P1_2', 'P1']);
    expect(patchLineage('3201_ab')).toEqual(['3201_ab']);
  });

  it('stores the direction, offers the evidence again to a child patch, links it once, and exports it in a zip with its manifest', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '640104' });
    const bytes = jpeg({ ...SITE, direction: 247.5, dateTimeOriginal: '2026:06:01 10:00:00', offset: '+08:00', description: `${code}-dir` });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const uploaded = await upload('xq.officer', code, bytes, '东侧,"围墙".jpg');
    expect(uploaded).toMatchObject({ sha256, direction: 247.5, directionRef: 'T', gps: SITE });
    await completeAs(sys, 'xq.officer', task.id, determination('illegal', { totalMu: 5, farmlandMu: 0 }, { evidence: [{ sha256, kind: 'photo', gps: SITE }] }));

    // A child of a split (code lineage) is offered the parent's evidence; linking stores nothing twice.
    const child = `${code}_1`;
    await issueAndWaitForTask(sys, { code: child, countyCode: '640104' });
    const token = await sys.login('xq.officer');
    const offered = await sys.http('GET', `/api/evidence?filter=${encodeURIComponent(JSON.stringify({ patchCode: child, lineage: true }))}`, { token });
    expect(offered.body.map((e: { sha256: string; patchCode: string }) => [e.sha256, e.patchCode])).toEqual([[sha256, code]]);
    const own = await sys.http('GET', `/api/evidence?filter=${encodeURIComponent(JSON.stringify({ patchCode: child }))}`, { token });
    expect(own.body).toEqual([]);
    const linked = await sys.http('POST', '/api/evidence/link', { token, body: { patchCode: child, sha256 } });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ patchCode: child, sha256, direction: 247.5, duplicate: false });
    expect((await sys.http('POST', '/api/evidence/link', { token, body: { patchCode: child, sha256 } })).status).toBe(200);
    expect(await sys.sql`select patch_code from evidence_files where sha256 = ${sha256} order by patch_code`).toEqual([
      { patch_code: code },
      { patch_code: child },
    ]);
    // Someone who cannot see the file cannot link it.
    const foreign = await sys.http('POST', '/api/evidence/link', { token: await sys.login('na.officer'), body: { patchCode: child, sha256 } });
    expect(foreign.status).toBeGreaterThanOrEqual(403);

    // A military patch of the same county, with a photo of its own (uploaded by a holder of the permission).
    const { code: secret } = await issueAndWaitForTask(sys, { countyCode: '640104', military: true }, { asUser: 'xq.secret' });
    const secretBytes = jpeg({ ...SITE, description: `${secret}-secret` });
    await upload('xq.secret', secret, secretBytes, 'secret.jpg');

    // The export of the county, as the county's officer: streamed zip, no military patch.
    const plain = await download('xq.officer', 'regionCode=640104');
    expect(plain.status).toBe(200);
    expect(plain.type).toBe('application/zip');
    const entries = await unzip(plain.body);
    const photo = [...entries.keys()].find((n) => n.startsWith(`${code}/`) && n.endsWith('.jpg'));
    expect(photo).toBeDefined();
    expect(createHash('sha256').update(entries.get(photo!)!).digest('hex')).toBe(sha256);
    expect(JSON.parse(entries.get(`${code}/determination.json`)!.toString())).toMatchObject({ patchCode: code, determination: { legality: 'illegal' } });
    expect(entries.has(`${child}/${photo!.split('/')[1]}`)).toBe(true);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.files.find((f: { patchCode: string }) => f.patchCode === code)).toMatchObject({
      sha256,
      path: photo,
      lat: SITE.lat,
      lng: SITE.lng,
      direction: 247.5,
      capturedAt: '2026-06-01T02:00:00.000Z',
      legality: 'illegal',
      subType: 'occupied_without_approval',
    });
    const csv = entries.get('manifest.csv')!.toString();
    expect(csv.split('\r\n')[0]).toBe(
      '\ufeffpatchCode,path,sha256,kind,mime,size,lat,lng,direction,directionRef,capturedAt,uploadedAt,legality,subType,mineralFinding',
    );
    expect(csv).toContain(`${code},"${photo}",${sha256},photo,image/jpeg`);
    expect([...entries.keys()].some((n) => n.startsWith(`${secret}/`))).toBe(false);
    expect(csv).not.toContain(secret);

    // With the permission, the military patch's evidence is there too.
    const classified = await unzip((await download('xq.secret', 'regionCode=640104')).body);
    expect([...classified.keys()].some((n) => n.startsWith(`${secret}/`))).toBe(true);

    // Outside one's region: refused; without a selection: a 4xx naming the field.
    expect((await download('na.officer', 'regionCode=640104')).status).toBe(403);
    expect((await download('xq.officer', '')).status).toBe(422);
  });
});
