/**
 * Evidence named in a completion must have been uploaded for the patch (POST /api/evidence), and what a
 * file says about itself — kind, GPS, capture time — is taken from the upload's record, not from the
 * client. An unknown hash is a 422 naming the entry's field, and nothing changes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { jpeg } from './support/evidence-files';
import { determination, issueAndWaitForTask, patchRow } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const INSIDE = { lat: 38.4705, lng: 106.2805 };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(patchCode: string, file: Buffer) {
  const form = new FormData();
  form.append('patchCode', patchCode);
  form.append('file', new Blob([new Uint8Array(file)], { type: 'image/jpeg' }), '现场照片.jpg');
  const res = await fetch(`${sys.baseUrl}/api/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await sys.login('xq.officer')}` }, body: form });
  expect(res.status).toBe(201);
}

const complete = async (taskId: string, body: unknown) => sys.http('POST', `/api/tasks/${taskId}/complete`, { token: await sys.login('xq.officer'), body });

describe('evidence in a determination', () => {
  it('names only files uploaded for this patch; GPS and capture time come from the stored upload', async () => {
    const issuedAt = '2026-05-01T02:00:00Z';
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt });
    const other = await issueAndWaitForTask(sys, { issuedAt });
    const photo = jpeg({ ...INSIDE, dateTimeOriginal: '2026:05:03 10:20:30', description: code });
    const elsewhere = jpeg({ ...INSIDE, dateTimeOriginal: '2026:05:04 09:00:00', description: other.code });
    await upload(code, photo);
    await upload(other.code, elsewhere);

    const withEvidence = (evidence: unknown[]) => determination('legal', {}, { evidence });
    // Uploaded for another patch, or never uploaded: 422 naming the entry, and the task stays open.
    const foreign = await complete(
      task.id,
      withEvidence([
        { sha256: sha(photo), kind: 'photo' },
        { sha256: sha(elsewhere), kind: 'photo' },
      ]),
    );
    expect(foreign.status).toBe(422);
    expect(Object.keys(foreign.body.errors)).toEqual(['determination.evidence.1.sha256']);
    expect(foreign.body.errors['determination.evidence.1.sha256']).toContain('未上传到本图斑');
    const unknown = await complete(task.id, withEvidence([{ sha256: 'f'.repeat(64), kind: 'photo' }]));
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.body.errors)).toEqual(['determination.evidence.0.sha256']);
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).stage).toBe('verification');
    expect((await sys.sql`select status from tasks where id = ${task.id}`)[0].status).toBe('open');

    // The client's GPS, capture time and kind are not trusted: the stored ones are recorded.
    const forged = { sha256: sha(photo), kind: 'video', name: '现场照片.jpg', gps: { lat: 10, lng: 100 }, capturedAt: '2020-01-01T00:00:00Z' };
    const ok = await complete(task.id, withEvidence([forged]));
    expect(ok.status).toBe(200);
    const recorded = [{ sha256: sha(photo), kind: 'photo', name: '现场照片.jpg', gps: INSIDE, capturedAt: '2026-05-03T02:20:30.000Z' }];
    expect((await sys.sql`select result from tasks where id = ${task.id}`)[0].result.determination.evidence).toEqual(recorded);
    expect((await patchRow(sys, code)).determination.evidence).toEqual(recorded);
  });

  it('a file without GPS or capture time is recorded without them, whatever the client claims', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const bare = jpeg({ description: `${code}-bare` });
    await upload(code, bare);
    const ok = await complete(
      task.id,
      determination('legal', {}, { evidence: [{ sha256: sha(bare), kind: 'photo', gps: INSIDE, capturedAt: '2026-05-03T02:20:30Z' }] }),
    );
    expect(ok.status).toBe(200);
    const [entry] = (await patchRow(sys, code)).determination.evidence;
    expect(entry).toEqual({ sha256: sha(bare), kind: 'photo', name: '现场照片.jpg' });
  });
});
