/**
 * `npm start`'s demo has imagery with no network: the demo patches get synthetic before/after chips
 * (a visible change inside each patch) written under the uploads folder and recorded once.
 */
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPatches } from '../scripts/demo/patches';
import { seedDemoImagery } from '../scripts/demo/seed';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

describe('the demo imagery', () => {
  it('gives each demo patch a before and an after chip that differ inside the patch, once', async () => {
    const admin = await sys.login('admin');
    const patches = demoPatches().filter((p) => p.countyCode === '640104');
    for (const p of patches) expect((await sys.http('POST', '/api/patches', { token: admin, body: p })).status).toBe(201);
    await seedDemoImagery({ db: sys.database.db, uploadsDir: sys.uploadsDir }, patches);
    await seedDemoImagery({ db: sys.database.db, uploadsDir: sys.uploadsDir }, patches);
    const civil = patches.find((p) => !p.military)!;
    const listed = await sys.http('GET', `/api/patches/${civil.code}/imagery`, { token: await sys.login('xq.officer') });
    expect(listed.body.before).toHaveLength(1);
    expect(listed.body.after).toHaveLength(1);
    expect(new Date(listed.body.before[0].imagedAt).getTime()).toBeLessThan(new Date(listed.body.after[0].imagedAt).getTime());
    const read = async (url: string) => {
      const res = await fetch(`${sys.baseUrl}${url}`, { headers: { authorization: `Bearer ${admin}` } });
      const image = await (await fromArrayBuffer(await res.arrayBuffer())).getImage();
      const rgb = (await image.readRGB({ interleave: true })) as unknown as Uint8Array;
      const centre = (Math.floor(image.getHeight() / 2) * image.getWidth() + Math.floor(image.getWidth() / 2)) * 3;
      return [rgb[centre], rgb[centre + 1], rgb[centre + 2]];
    };
    const [before, after] = [await read(listed.body.before[0].url), await read(listed.body.after[0].url)];
    expect(Math.hypot(before[0] - after[0], before[1] - after[1], before[2] - after[2])).toBeGreaterThan(60);
    // The military demo patch's chips exist for the classified only.
    const military = patches.find((p) => p.military)!;
    expect((await sys.http('GET', `/api/patches/${military.code}/imagery`, { token: await sys.login('xq.officer') })).status).toBe(404);
    expect((await sys.http('GET', `/api/patches/${military.code}/imagery`, { token: await sys.login('xq.secret') })).body.after).toHaveLength(1);
  });
});
