/**
 * Loads the demo data once (regions, users, the five notices' policy presets, demo patches).
 * Reference data (regions, users, presets) is upserted on every call; patches are issued once.
 */
import type { Client } from '@temporalio/client';
import path from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import { issuePatch } from '../../api/services/issue-patch';
import { hashPassword } from '../../api/passwords';
import type { Db } from '../../db/client';
import { savePolicyVersion } from '../../db/policy-store';
import { meta, patches as patchesTable, regionPolicies, regions, users } from '../../db/schema';
import { PRESETS } from '../../domain/presets';
import { SYSTEM_ACTOR } from '../../domain/types';
import { recordImagery } from '../../services/imagery';
import { writeChipPair } from '../synthetic/imagery';
import { seedDemoLayers } from './layers';
import { demoPatches } from './patches';
import { progressDemo } from './progress';
import { demoRegions } from './regions';
import { DEMO_PASSWORD, DEMO_USERS } from './users';

export async function seedReferenceData(db: Db): Promise<void> {
  const rows = demoRegions();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(regions)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({ target: regions.code, set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` } });
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    await db
      .insert(users)
      .values({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        regionCode: u.regionCode,
        classified: u.classified ?? false,
        passwordHash: hash,
      })
      .onConflictDoNothing({ target: users.username });
  }
  for (const preset of PRESETS) {
    const [latest] = await db
      .select({ overrides: regionPolicies.overrides, note: regionPolicies.note, createdBy: regionPolicies.createdBy })
      .from(regionPolicies)
      .where(eq(regionPolicies.regionCode, preset.regionCode))
      .orderBy(desc(regionPolicies.version))
      .limit(1);
    if (!latest) {
      await savePolicyVersion(db, { regionCode: preset.regionCode, overrides: preset.overrides, note: `${PRESET_NOTE}${preset.source}` });
    } else if (latest.createdBy === null && latest.note?.startsWith(PRESET_NOTE) && canonical(latest.overrides) !== canonical(preset.overrides)) {
      // A corrected preset reaches a region no administrator has changed since (its fan-out is started by
      // the API's sweep of versions without one); a region an administrator changed keeps its own rules.
      await savePolicyVersion(db, { regionCode: preset.regionCode, overrides: preset.overrides, note: `${PRESET_NOTE}${preset.source}（更新）` });
    }
  }
}

const PRESET_NOTE = '预置方案：';

/** JSON with sorted keys: jsonb does not keep the key order it was given. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

export async function seedDemo(deps: { db: Db; temporal: Client; taskQueue: string; uploadsDir?: string; log?: (m: string) => void }): Promise<boolean> {
  const { db } = deps;
  await seedReferenceData(db);
  const [done] = await db.select().from(meta).where(eq(meta.key, 'demo_patches_issued'));
  if (done) {
    await seedDemoImagery(deps, demoPatches(new Date(String((done.value as { at?: string }).at ?? Date.now())).getTime()));
    return false;
  }
  const patches = demoPatches();
  // Layers first: each patch is measured against them on issuance.
  await seedDemoLayers(db, patches, deps.log);
  for (const p of patches) await issuePatch(deps, p, SYSTEM_ACTOR);
  await seedDemoImagery(deps, patches);
  try {
    await progressDemo(
      deps,
      patches.map((p) => p.code),
    );
  } catch (err) {
    deps.log?.(`demo patches issued; moving some along their lifecycle failed: ${(err as Error).message}`);
  }
  await db
    .insert(meta)
    .values({ key: 'demo_patches_issued', value: { at: new Date().toISOString(), count: patches.length } })
    .onConflictDoNothing();
  deps.log?.(`issued ${patches.length} demo patches`);
  return true;
}

const DAY = 24 * 3600 * 1000;

/**
 * Before/after chips for the demo patches (synthetic: a visible change inside each patch), written under
 * the uploads folder's imagery folder once, so that `npm start` shows imagery with no network.
 */
export async function seedDemoImagery(deps: { db: Db; uploadsDir?: string; log?: (m: string) => void }, patches: ReturnType<typeof demoPatches>) {
  const { db } = deps;
  if (!deps.uploadsDir) return;
  const [done] = await db.select().from(meta).where(eq(meta.key, 'demo_imagery_written'));
  if (done) return;
  const dir = path.join(deps.uploadsDir, 'imagery', 'demo');
  for (const p of patches) {
    if (!p.batchCode || !p.geometry) continue;
    const [known] = await db.select({ code: patchesTable.code }).from(patchesTable).where(eq(patchesTable.code, p.code));
    if (!known) continue;
    const pair = await writeChipPair(dir, p.code, p.geometry as Parameters<typeof writeChipPair>[2]);
    const imaged = p.imagedAt ? new Date(p.imagedAt) : null;
    const source = '合成影像（演示）';
    await recordImagery(db, {
      batchCode: p.batchCode,
      patchCode: p.code,
      phase: 'before',
      path: pair.before,
      imagedAt: imaged && new Date(imaged.getTime() - 90 * DAY),
      source,
    });
    await recordImagery(db, { batchCode: p.batchCode, patchCode: p.code, phase: 'after', path: pair.after, imagedAt: imaged, source });
  }
  await db
    .insert(meta)
    .values({ key: 'demo_imagery_written', value: { at: new Date().toISOString() } })
    .onConflictDoNothing();
  deps.log?.(`wrote before/after imagery for ${patches.length} demo patches`);
}
