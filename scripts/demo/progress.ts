/**
 * Moves some demo patches along their lifecycle, the way the demo users would have, so that a new user
 * finds work at every stage: a review waiting at the province, a send-back waiting for correction, a
 * case waiting for its stop order. It goes through the same workflow Updates as the API.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { evidenceFiles, patches, tasks, users } from '../../db/schema';
import type { EvidenceRef } from '../../domain/legality';
import type { Actor, Role } from '../../domain/types';
import { completeTaskUpdate, type TaskPayload } from '../../workflows/messages';

async function actor(db: Db, username: string): Promise<Actor> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, regionCode: u.regionCode, classified: u.classified };
}

async function openTask(db: Db, where: { patchCode?: string; caseNo?: string; type: string }, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [t] = await db
      .select()
      .from(tasks)
      .where(
        and(where.patchCode ? eq(tasks.patchCode, where.patchCode) : eq(tasks.caseNo, where.caseNo!), eq(tasks.type, where.type), eq(tasks.status, 'open')),
      );
    if (t) return t;
    if (Date.now() > until) throw new Error(`demo: no open ${where.type} task for ${where.patchCode ?? where.caseNo}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A small green-grey picture standing in for a site photo (PNG, 8×8). */
const DEMO_PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGOo6InCihiGlgQAOEZXgXr7uBsAAAAASUVORK5CYII=', 'base64');

/** The first corner of a GeoJSON geometry: where the demo photo says it was taken. */
function firstPoint(geometry: unknown): { lat: number; lng: number } | undefined {
  let c: unknown = (geometry as { coordinates?: unknown })?.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? { lng: c[0], lat: c[1] } : undefined;
}

/**
 * A site photo with its GPS position recorded for a patch, as an officer's upload would be (the region's
 * evidence rule asks one of an illegal determination): the file goes to the uploads folder when there is one.
 */
async function demoPhoto(db: Db, uploadsDir: string | undefined, patchCode: string, username: string): Promise<EvidenceRef> {
  const sha256 = createHash('sha256').update(DEMO_PHOTO).digest('hex');
  if (uploadsDir) {
    const file = path.join(uploadsDir, sha256.slice(0, 2), sha256);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, DEMO_PHOTO);
  }
  const [p] = await db.select({ geometry: patches.geometry }).from(patches).where(eq(patches.code, patchCode));
  const gps = firstPoint(p?.geometry) ?? { lat: 0, lng: 0 };
  const by = await actor(db, username);
  const capturedAt = new Date();
  await db
    .insert(evidenceFiles)
    .values({
      sha256,
      patchCode,
      kind: 'photo',
      mime: 'image/png',
      size: DEMO_PHOTO.length,
      originalName: '现场照片.png',
      uploadedBy: by.userId,
      gpsLat: gps.lat,
      gpsLng: gps.lng,
      capturedAt,
    })
    .onConflictDoNothing();
  return { sha256, kind: 'photo', name: '现场照片.png', gps, capturedAt: capturedAt.toISOString() };
}

const areas = (totalMu: number, farmlandMu = 0) => ({ totalMu, farmlandMu, basicFarmlandMu: 0, redLineMu: 0 });
const noFlags = {
  rural_housing: false,
  greenhouse_house: false,
  landscape_lake: false,
  fund_project: false,
  affordable_housing: false,
  epidemic_medical: false,
};

export async function progressDemo(deps: { db: Db; temporal: Client; uploadsDir?: string }, codes: string[]): Promise<void> {
  const { db, temporal } = deps;
  const complete = async (username: string, where: { patchCode?: string; caseNo?: string; type: string }, payload: Omit<TaskPayload, 'kind'>) => {
    const task = await openTask(db, where);
    return temporal.workflow.getHandle(task.workflowId).executeUpdate(completeTaskUpdate, {
      args: [{ taskId: task.id, actor: await actor(db, username), payload: { kind: task.type, ...payload } as TaskPayload }],
    });
  };
  const byCounty = (county: string) => codes.filter((c) => c.startsWith(county));
  const [xq1, xq2] = byCounty('640104');
  const [dcf1] = byCounty('371502');
  const [na1] = byCounty('350583');

  // 兴庆区: one legal patch with its province review waiting; one sent back by the city for correction.
  await complete(
    'xq.officer',
    { patchCode: xq2, type: 'verification' },
    {
      determination: {
        legality: 'legal',
        subType: 'approved_construction',
        approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕31号', date: '2026-05-18' }],
        areas: areas(3.2),
        evidence: [],
      },
    },
  );
  await complete(
    'xq.officer',
    { patchCode: xq1, type: 'verification' },
    {
      determination: {
        legality: 'legal',
        subType: 'approved_construction',
        approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2025〕77号', date: '2025-12-02' }],
        areas: areas(12.4, 8.1),
        evidence: [],
      },
    },
  );
  await complete('yc.reviewer', { patchCode: xq1, type: 'review' }, { decision: 'send_back', reason: '影像显示新建硬化地面及厂房，请重新核实合法性' });

  // 东昌府区: illegal on 21 mu of farmland, with Liaocheng's six answers; waiting for the city's review.
  await complete(
    'dcf.officer',
    { patchCode: dcf1, type: 'verification' },
    {
      determination: {
        legality: 'illegal',
        subType: 'occupied_without_approval',
        approvals: [],
        areas: areas(22, 21),
        farmlandFlags: noFlags,
        evidence: [await demoPhoto(db, deps.uploadsDir, dcf1, 'dcf.officer')],
      },
    },
  );

  // 南安市: illegal, passed by the province, handed to a case that is registered and waits for its stop order.
  await complete(
    'na.officer',
    { patchCode: na1, type: 'verification' },
    {
      determination: {
        legality: 'illegal',
        subType: 'occupied_without_approval',
        approvals: [],
        areas: areas(7.7, 7),
        farmlandFlags: { rural_housing: false },
        evidence: [await demoPhoto(db, deps.uploadsDir, na1, 'na.officer')],
      },
    },
  );
  const atCase = (await complete('fj.reviewer', { patchCode: na1, type: 'review' }, { decision: 'pass' })) as { caseNo?: string };
  if (atCase.caseNo) {
    await complete(
      'na.officer',
      { caseNo: atCase.caseNo, type: 'case_register' },
      {
        party: { name: '南安市某石材厂', kind: 'organisation' },
        site: '南安市水头镇',
        facts: '未经批准占用耕地7亩堆放石材、建设厂房',
        linkPatchCodes: [],
      },
    );
  }
}
