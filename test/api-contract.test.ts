/**
 * The task API as a contract (issue 18): nothing a rule reads defaults silently; the OpenAPI document
 * (/api/docs) describes every task type's completion body from the validator's own zod schemas, with
 * examples the validator accepts, the error shape and the list filters, and every registered route; a typed
 * client generated from it (openapi-typescript, test/support/api-types.ts) completes a task; English errors
 * name the field; a patch's timeline has its case's elimination and strike-off and the quota bookings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildApp } from '../api/app';
import { COMPLETION_EXAMPLES, LIST_FILTERS, registeredRoutes } from '../api/openapi';
import { completionSchemas } from '../domain/schemas/tasks';
import { TASK_TYPES } from '../domain/types';
import type { paths } from './support/api-types';
import { caseTaskOf, completeAs, decision, illegalPatchWithCase, issueAndWaitForTask, registration, uploadSitePhoto } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const TYPES_FILE = path.join(__dirname, 'support', 'api-types.ts');

/** Every `.default(…)` in a schema, by path ("determination.evidence"). */
function defaultsIn(schema: z.ZodType, at: string[] = []): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (s: unknown, more: string[] = []) => defaultsIn(s as z.ZodType, [...at, ...more]);
  switch (def.type) {
    case 'default':
    case 'prefault':
      return [at.join('.'), ...inner(def.innerType)];
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return inner(def.innerType);
    case 'pipe':
      return [...inner(def.in), ...inner(def.out)];
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) => inner(v, [k]));
    case 'array':
      return inner(def.element, ['*']);
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((o) => inner(o)))];
    case 'record':
      return inner(def.valueType, ['*']);
    default:
      return [];
  }
}

describe('nothing a rule reads defaults silently (issue 18, 001 三(三))', () => {
  it('the only defaults left in the completion bodies are empty lists whose absence a rule refuses or that no rule reads', () => {
    const found = Object.fromEntries(TASK_TYPES.map((t) => [t, defaultsIn(completionSchemas[t])]).filter(([, d]) => d.length));
    // - approvals: a legal determination without them is refused (approval_required); illegal and other have none;
    // - evidence: where a rule asks for evidence it refuses an empty list; none is none;
    // - linkPatchCodes: linking is an act; not linking is linking nothing.
    // The areas (review coverage, on-site thresholds, farmland answers, the freeze) and a decision's departments
    // (the transfers the strike-off waits for) are required: before, they became 0 and [] when left out.
    expect(found).toEqual({
      verification: ['determination.approvals', 'determination.evidence'],
      correction: ['determination.approvals', 'determination.evidence'],
      direct_determination: ['determination.approvals', 'determination.evidence'],
      onsite_check: ['determination.approvals', 'determination.evidence'],
      case_register: ['linkPatchCodes'],
      rectification: ['evidence'],
      recheck: ['evidence'],
    });
  });

  it('a verification with only legality, sub-type and total area is refused, naming each area (in English too), and nothing is recorded', async () => {
    // Ningxia: the city reviews every farmland patch (001 三(三)); a farmland area left out must not skip that review.
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '640104', category: 'new_non_agricultural_construction', areaMu: 30, farmlandMu: 20 });
    const before = (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code}`)[0].n;
    const body = { determination: { legality: 'illegal', subType: 'occupied_without_approval', areas: { totalMu: 30 } } };
    const token = await sys.login('xq.officer');
    const zh = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token, body });
    expect(zh.status).toBe(422);
    expect(zh.body.issues.map((i: { path: string; code: string }) => [i.path, i.code])).toEqual([
      ['determination.areas.farmlandMu', 'invalid_type'],
      ['determination.areas.basicFarmlandMu', 'invalid_type'],
      ['determination.areas.redLineMu', 'invalid_type'],
    ]);
    expect(zh.body.errors['determination.areas.farmlandMu']).toBe('determination.areas.farmlandMu为必填项：应为数字');
    const en = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token, body, headers: { 'accept-language': 'en' } });
    expect(en.body.errors['determination.areas.farmlandMu']).toBe('determination.areas.farmlandMu is required: a number');
    expect(en.body.message).toContain('determination.areas.redLineMu is required: a number');
    expect(JSON.stringify(en.body)).not.toMatch(CJK);
    // A whole object left out names it too (was "Invalid input: expected object").
    const bare = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token, body: {}, headers: { 'accept-language': 'en' } });
    expect(bare.body.errors).toEqual({ determination: 'determination is required: an object' });
    expect((await sys.sql`select status from tasks where id = ${task.id}`)[0].status).toBe('open');
    expect((await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code}`)[0].n).toBe(before);
  });

  it('a case decision without its departments is refused (the transfers the strike-off waits for)', () => {
    const [example] = COMPLETION_EXAMPLES.case_decision;
    const { departments: _left, ...without } = example.value;
    const parsed = completionSchemas.case_decision.safeParse(without);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['departments']);
  });
});

describe('the OpenAPI document', () => {
  let doc: any;
  beforeAll(async () => {
    const res = await sys.http('GET', '/api/docs/json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  it('is served at /api/docs (the swagger UI) and its JSON', async () => {
    const ui = await fetch(`${sys.baseUrl}/api/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
    expect(doc.openapi).toMatch(/^3\./);
  });

  it("describes each task type's completion body, a union by taskType, with examples the validator accepts", () => {
    const body = doc.paths['/api/tasks/{id}/complete'].post.requestBody.content['application/json'];
    expect(body.schema.oneOf.map((s: { $ref: string }) => s.$ref)).toEqual(TASK_TYPES.map((t) => `#/components/schemas/TaskCompletion_${t}`));
    expect(Object.keys(body.schema.discriminator.mapping)).toEqual([...TASK_TYPES]);
    for (const type of TASK_TYPES) {
      const component = doc.components.schemas[`TaskCompletion_${type}`];
      expect(component, type).toBeTruthy();
      expect(completionSchemas[type].safeParse(component.example).success, type).toBe(true);
      const examples = Object.entries(body.examples as Record<string, { value: Record<string, unknown> }>).filter(
        ([k]) => k === type || new RegExp(`^${type}_\\d+$`).test(k),
      );
      expect(examples.length, type).toBe(COMPLETION_EXAMPLES[type].length);
      for (const [name, { value }] of examples) {
        const { taskType, ...rest } = value;
        expect(taskType).toBe(type);
        const parsed = completionSchemas[type].safeParse(rest);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
    // Generated from the validator's schema: the areas are all required there too.
    const verification = doc.components.schemas.TaskCompletion_verification;
    expect(verification.properties.determination.properties.areas.required).toEqual(['totalMu', 'farmlandMu', 'basicFarmlandMu', 'redLineMu']);
    expect(doc.components.schemas.TaskCompletion_case_decision.required).toContain('departments');
  });

  it('describes the error shape on every operation, and the list filters', () => {
    expect(doc.components.schemas.Error.properties).toHaveProperty('issues');
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>)) {
      for (const [method, op] of Object.entries(item))
        expect(op.responses['4XX'], `${method} ${p}`).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    }
    for (const [p, filters] of Object.entries(LIST_FILTERS)) {
      const filter = doc.paths[p].get.parameters.find((x: { name: string }) => x.name === 'filter');
      expect(filter['x-filters'], p).toEqual(Object.keys(filters));
      expect(filter.description).toContain(`- ${Object.keys(filters)[0]}: `);
    }
    expect(doc.paths['/api/tasks'].get.parameters.find((x: { name: string }) => x.name === 'filter').description).toContain('- patchCode: one patch');
    expect(doc.paths['/api/audit'].get.parameters.find((x: { name: string }) => x.name === 'filter').description).toContain('- patchCode:');
  });

  it('documents every registered route, and nothing else', async () => {
    const app = await buildApp({
      database: sys.database,
      temporal: sys.temporal,
      taskQueue: sys.taskQueue,
      namespace: sys.namespace,
      uiDir: '/nonexistent',
      uploadsDir: sys.uploadsDir,
    });
    try {
      await app.ready();
      const routes = registeredRoutes(app)
        .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD')
        .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
      expect(routes.length).toBeGreaterThan(40);
      expect([...new Set(routes)].sort()).toEqual([...new Set(documented)].sort());
      // The document the app builds is the one served.
      expect(JSON.parse(JSON.stringify(app.swagger()))).toEqual(doc);
    } finally {
      await app.close();
    }
  });

  it('generates the committed typed client (openapi-typescript); UPDATE_API_TYPES=1 rewrites it', async () => {
    const generated = `/* Generated by openapi-typescript from GET /api/docs/json (test/api-contract.test.ts); do not edit. */\n${astToString(await openapiTS(doc, { defaultNonNullable: false }))}`;
    if (process.env.UPDATE_API_TYPES) writeFileSync(TYPES_FILE, generated);
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
  });

  it("the typed client completes a verification, and a taskType that is not the task's is refused", async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '640104', areaMu: 30, farmlandMu: 20 });
    const token = await sys.login('xq.officer');
    const client = createClient<paths>({ baseUrl: sys.baseUrl, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
    const wrong = await client.POST('/api/tasks/{id}/complete', { params: { path: { id: task.id } }, body: { taskType: 'review', decision: 'pass' } });
    expect(wrong.response.status).toBe(422);
    expect(wrong.error).toMatchObject({
      code: 'InvalidPayload',
      issues: [{ path: 'taskType', code: 'task_type_mismatch', message: 'taskType is "review", but this task is of type verification' }],
    });
    const done = await client.POST('/api/tasks/{id}/complete', {
      params: { path: { id: task.id } },
      body: {
        taskType: 'verification',
        determination: {
          legality: 'illegal',
          subType: 'occupied_without_approval',
          areas: { totalMu: 30, farmlandMu: 20, basicFarmlandMu: 0, redLineMu: 0 },
          farmlandFlags: { rural_housing: false },
          // The region's evidence rule: an illegal determination carries a site photo with GPS.
          evidence: [await uploadSitePhoto(sys, 'xq.officer', task.patchCode)],
        },
      },
    });
    expect(done.response.status).toBe(200);
    // Ningxia: the farmland patch goes to the city's review (001 三(三)).
    const open = await eventually(async () => {
      const rows = await sys.sql`select type, region_code from tasks where patch_code = ${task.patchCode} and status = 'open'`;
      return rows.length ? rows.map((r) => [r.type, r.region_code]) : undefined;
    });
    expect(open).toEqual([['review', '640100']]);
  });
});

describe("a patch's record is whole", () => {
  it("its timeline has its case's elimination and strike-off and the quota freeze and unfreeze; GET /api/patches/:code has the case number", async () => {
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 8, farmlandMu: 6 });
    const officer = await sys.login('na.officer');
    expect((await sys.http('GET', `/api/patches/${code}`, { token: officer })).body.caseNo).toBe(caseNo);
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南自然资停〔2026〕9号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '拆除厂房、复垦为耕地',
      plannedBy: '2026-12-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-20',
      rectifiedMu: 8,
      evidence: [],
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕30号',
    });
    await completeAs(sys, 'fj.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer')).id, { decision: 'confirm' });
    await eventually(async () => ((await sys.sql`select status from cases where case_no = ${caseNo}`)[0].status === 'struck_off' ? true : undefined));

    const rows =
      await sys.sql`select action, patch_code, case_no, after from audit_log where case_no = ${caseNo} and action in ('case.eliminated', 'case.struck_off', 'quota.frozen', 'quota.unfrozen') order by id`;
    expect(rows.map((r) => [r.action, r.patch_code])).toEqual([
      ['quota.frozen', code],
      ['quota.unfrozen', code],
      ['case.eliminated', code],
      ['case.struck_off', code],
    ]);
    expect(rows[0].after).toMatchObject({ account: 'farmland', areaMu: 6, holder: '350583' });
    expect(rows[2].after).toMatchObject({ patchCodes: [code] });

    const timeline = await eventually(async () => {
      const res = await sys.http('GET', `/api/audit?range=[0,499]&filter=${encodeURIComponent(JSON.stringify({ patchCode: code }))}`, { token: officer });
      return res.body.some((e: { action: string }) => e.action === 'patch.closed') ? res : undefined;
    });
    const actions = timeline.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'patch.issued',
        'case.requested',
        'case_register.completed',
        'quota.frozen',
        'acceptance_province.completed',
        'quota.unfrozen',
        'case.eliminated',
        'case.struck_off',
        'patch.closed',
      ]),
    );
    // Every row of the case is in the patch's timeline.
    const caseRows = await sys.http('GET', `/api/audit?range=[0,499]&filter=${encodeURIComponent(JSON.stringify({ caseNo }))}`, { token: officer });
    const ids = new Set(timeline.body.map((e: { id: number }) => e.id));
    expect(caseRows.body.filter((e: { id: number }) => !ids.has(e.id))).toEqual([]);
    // Another county sees none of it.
    expect(
      (await sys.http('GET', `/api/audit?filter=${encodeURIComponent(JSON.stringify({ patchCode: code }))}`, { token: await sys.login('dcf.officer') })).body,
    ).toEqual([]);
  });
});
