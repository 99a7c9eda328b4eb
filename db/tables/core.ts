/**
 * PostgreSQL: business records and the read model. Activities write process-derived rows (patch stage,
 * tasks, audit); the API writes only what is not process state (users, regions, policies, sessions).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { NoticeParams } from '../../domain/notifications';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const regions = pgTable(
  'regions',
  {
    code: varchar('code', { length: 6 }).primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(), // national | province | city | county
    parentCode: varchar('parent_code', { length: 6 }),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(), // officer | reviewer | supervisor | administrator
  regionCode: varchar('region_code', { length: 6 })
    .notNull()
    .references(() => regions.code),
  classified: boolean('classified').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * The per-username login lockout (api/login-guard.ts), kept here rather than in an API process's memory so
 * that every API process behind the proxy counts the same failures, and a restart forgets nothing.
 */
export const loginFailures = pgTable('login_failures', {
  /** The username as typed, trimmed and lower-cased (unknown usernames count the same way). */
  usernameKey: text('username_key').primaryKey(),
  failures: integer('failures').notNull(),
  lockedUntil: ts('locked_until'),
  lastFailure: ts('last_failure').notNull(),
});

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Versioned policy overrides per region: the latest version of each region is in force. */
export const regionPolicies = pgTable(
  'region_policies',
  {
    id: serial('id').primaryKey(),
    regionCode: varchar('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    version: integer('version').notNull(),
    overrides: jsonb('overrides').notNull(),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** The fan-out that carries this version to running workflows. */
    broadcastWorkflowId: text('broadcast_workflow_id'),
    broadcastSignalled: integer('broadcast_signalled'),
    broadcastDoneAt: ts('broadcast_done_at'),
  },
  (t) => [uniqueIndex('region_policies_region_version_uq').on(t.regionCode, t.version)],
);

export const batches = pgTable('batches', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  source: text('source').notNull(), // ministry | province
  kind: text('kind').notNull(), // monthly | annual_supplementary | mineral
  imagedAt: ts('imaged_at'),
  issuedAt: ts('issued_at').notNull(),
  /** T+10 (000): days issued after imaging date + 10; null when the imaging date is unknown. */
  t10LateDays: integer('t10_late_days'),
  t10Late: boolean('t10_late').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const patches = pgTable(
  'patches',
  {
    code: text('code').primaryKey(),
    batchCode: text('batch_code').references(() => batches.code),
    countyCode: varchar('county_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    cityCode: varchar('city_code', { length: 6 }).notNull(),
    provinceCode: varchar('province_code', { length: 6 }).notNull(),
    category: text('category').notNull(),
    source: text('source').notNull(),
    batchKind: text('batch_kind').notNull(),
    areaMu: doublePrecision('area_mu').notNull(),
    farmlandMu: doublePrecision('farmland_mu'),
    geometry: jsonb('geometry'),
    centroid: jsonb('centroid'), // [lng, lat]
    military: boolean('military').notNull().default(false),
    issuedAt: ts('issued_at').notNull(),
    imagedAt: ts('imaged_at'),
    // read model, written by activities
    workflowId: text('workflow_id'),
    /** Lineage (docs/domain.md §13): the patch this one was split from (拆分); null for an issued patch. */
    parentCode: text('parent_code'),
    /** Lineage (合并, docs/domain.md §13): the sources a merged patch was made of; null for an issued patch. */
    mergedFrom: jsonb('merged_from').$type<string[]>(),
    /** Lineage (合并): the merged patch this one closed into (被合并). */
    mergedInto: text('merged_into'),
    stage: text('stage').notNull().default('issued'),
    legality: text('legality'),
    determination: jsonb('determination'),
    directDetermination: boolean('direct_determination').notNull().default(false),
    /** The county's first determination, kept to count concealment (瞒报). */
    countyLegality: text('county_legality'),
    concealed: boolean('concealed').notNull().default(false),
    /** county | city | province: who made the determination in force. */
    determinedLevel: text('determined_level'),
    sendBackCount: integer('send_back_count').notNull().default(0),
    onsiteChecks: jsonb('onsite_checks'),
    caseNo: text('case_no'),
    /** The case of the patch's mineral violation (违法采矿 / 越界开采), beside the land case (地矿同核). */
    mineralCaseNo: text('mineral_case_no'),
    /** Whether the county's verification was filed by its deadline (null until filed): 月清. */
    verificationOnTime: boolean('verification_on_time'),
    /** The patch's case eliminated the illegal state, and how. */
    rectified: boolean('rectified').notNull().default(false),
    rectificationPath: text('rectification_path'),
    closedAt: ts('closed_at'),
    overdue: boolean('overdue').notNull().default(false),
    dueAt: ts('due_at'),
    reviewDraws: jsonb('review_draws'),
    // Derived from the determination and the review draws, stored so that statistics read plain columns.
    determinedAreaMu: doublePrecision('determined_area_mu').generatedAlwaysAs(sql`coalesce((determination->'areas'->>'totalMu')::float8, area_mu)`),
    determinedFarmlandMu: doublePrecision('determined_farmland_mu').generatedAlwaysAs(sql`coalesce((determination->'areas'->>'farmlandMu')::float8, 0)`),
    determinedSubType: text('determined_sub_type').generatedAlwaysAs(sql`determination->>'subType'`),
    majorInfrastructure: boolean('major_infrastructure').generatedAlwaysAs(sql`coalesce((determination->>'majorInfrastructure')::boolean, false)`),
    /** 用矿情况: illegal_mining | beyond_boundary | none, or null where the mineral part was not given (present = mining found). */
    mineralFinding: text('mineral_finding').generatedAlwaysAs(sql`determination->'mineral'->>'finding'`),
    mineralPresent: boolean('mineral_present').generatedAlwaysAs(sql`(determination->'mineral'->>'present')::boolean`),
    reviewed: boolean('reviewed').generatedAlwaysAs(
      sql`coalesce((review_draws->'city'->>'selected')::boolean, false) or coalesce((review_draws->'province'->>'selected')::boolean, false)`,
    ),
    /** A higher level checked it on site (实地核查): with `reviewed`, where concealment can be found. */
    onsiteChecked: boolean('onsite_checked').generatedAlwaysAs(
      sql`case when jsonb_typeof(onsite_checks) = 'array' then jsonb_array_length(onsite_checks) > 0 else false end`,
    ),
    /** 省级审核 (002 五(三)): drawn for the province's desk review, or checked on site by the province. */
    provinceChecked: boolean('province_checked').generatedAlwaysAs(
      sql`coalesce((review_draws->'province'->>'selected')::boolean, false) or coalesce(jsonb_typeof(onsite_checks) = 'array' and onsite_checks @> '[{"level": "province"}]'::jsonb, false)`,
    ),
    /**
     * The province found it illegal: the determination its review was given was not yet illegal (the draw
     * records it; older draws without it count as found there), or its on-site check overturned legal or
     * other to illegal. With `concealed`, a concealment the province found.
     */
    provinceFoundIllegal: boolean('province_found_illegal').generatedAlwaysAs(
      sql`(coalesce((review_draws->'province'->>'selected')::boolean, false) and coalesce(review_draws->'province'->>'legality', '') <> 'illegal') or coalesce(jsonb_typeof(onsite_checks) = 'array' and onsite_checks @? '$[*] ? (@.level == "province" && @.result == "overturned" && @.to == "illegal" && !(@.from == "illegal"))', false)`,
    ),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('patches_county_issued_idx').on(t.countyCode, t.issuedAt),
    // The statistics query also has a covering index, patches_statistics_idx (INCLUDE, in a custom migration).
    index('patches_city_idx').on(t.cityCode),
    index('patches_stage_idx').on(t.stage),
    index('patches_batch_idx').on(t.batchCode),
    index('patches_parent_idx').on(t.parentCode),
  ],
);

/** Human tasks as the workflows open and close them; `id` is `<workflowId>:<sequence>`. */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    patchCode: text('patch_code'),
    /** Set for the tasks of a violation case (patch_code then names its first patch). */
    caseNo: text('case_no'),
    type: text('type').notNull(),
    /** The region that owns the task: the county for verification, the city for city review, … */
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    role: text('role').notNull(),
    /** city | province for review-level tasks. */
    level: text('level'),
    status: text('status').notNull().default('open'), // open | completed | cancelled | expired
    restricted: boolean('restricted').notNull().default(false),
    eventAt: ts('event_at').notNull(),
    dueAt: ts('due_at'),
    overdue: boolean('overdue').notNull().default(false),
    overdueAt: ts('overdue_at'),
    escalatedAt: ts('escalated_at'),
    /** An approved extension set the due instant; policy changes leave it alone. */
    extended: boolean('extended').notNull().default(false),
    policyVersion: integer('policy_version'),
    assigneeId: integer('assignee_id').references(() => users.id),
    context: jsonb('context'),
    result: jsonb('result'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    closedBy: integer('closed_by'),
    closedByName: text('closed_by_name'),
  },
  (t) => [
    // Both inbox indexes INCLUDE region_code/restricted, and tasks_open_due_idx (status, due_at, id) is a custom
    // migration (0021): drizzle-kit does not model INCLUDE.
    index('tasks_open_region_due_idx').on(t.status, t.regionCode, t.dueAt),
    index('tasks_patch_idx').on(t.patchCode),
    index('tasks_case_idx').on(t.caseNo),
    index('tasks_workflow_idx').on(t.workflowId),
  ],
);

/** Append-only (a trigger rejects UPDATE and DELETE). `event_key` makes activity retries write once. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventKey: text('event_key').notNull().unique(),
    at: ts('at').notNull().defaultNow(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    patchCode: text('patch_code'),
    caseNo: text('case_no'),
    taskId: text('task_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    workflowId: text('workflow_id'),
    runId: text('run_id'),
    /**
     * The region the row concerns (its patch's or case's county, a managed user's region, a policy's region;
     * 000000 when nothing narrower): only actors of that region's subtree see the row. Set on insert.
     */
    regionCode: text('region_code'),
    /** About a military patch or a holder of the classified-handling permission: only holders see it (000 二(二)). */
    classified: boolean('classified').notNull().default(false),
  },
  (t) => [index('audit_patch_idx').on(t.patchCode, t.at), index('audit_case_idx').on(t.caseNo, t.at), index('audit_region_idx').on(t.regionCode, t.at)],
);

/** The first answer to a request sent with an Idempotency-Key, replayed for repeats. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export const notifications = pgTable(
  'notifications',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    role: text('role').notNull(),
    /** Set for a notice to one user (a reminder to a task's assignee); otherwise it is for the region's role. */
    userId: integer('user_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** The notice's facts (domain/notifications.ts NoticeParams), from which the UI writes it in its language; null on notices written before. */
    params: jsonb('params').$type<NoticeParams>(),
    patchCode: text('patch_code'),
    taskId: text('task_id'),
    /** About a restricted (military) task: only users with the classified-handling permission see it (000, 002, 004). */
    restricted: boolean('restricted').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_region_idx').on(t.regionCode, t.createdAt), index('notifications_user_idx').on(t.userId, t.createdAt)],
);

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
});
