/**
 * A whole system per test file: its own database (copied from the migrated template), its own task
 * queue and worker on the shared dev server (or on a private time-skipping server), and the real API
 * listening on a real port.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { inject } from 'vitest';
import { buildApp, type AppDeps } from '../../api/app';
import { connectDatabase, type Database } from '../../db/client';
import { createWorker } from '../../worker/create';
import { registerSearchAttributes } from '../../infra/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestSystem {
  database: Database;
  temporal: Client;
  taskQueue: string;
  baseUrl: string;
  /** Where this system stores evidence files (a temporary folder, removed on stop). */
  uploadsDir: string;
  worker: Worker | undefined;
  env?: TestWorkflowEnvironment;
  databaseUrl: string;
  namespace: string;
  temporalAddress: string;
  /** Stops the worker (as a crash would: in-flight activities are abandoned) and starts a fresh one. */
  restartWorker(): Promise<void>;
  /** Logs in a demo user (password wpzf2026) and returns its bearer token. */
  login(username: string): Promise<string>;
  http<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer<T>>;
  /** Runs SQL against this file's database. */
  sql: postgres.Sql;
  unique(prefix?: string): string;
  stop(): Promise<void>;
}

/** A database of its own for a test file that needs no servers but PostgreSQL (migrated: a copy of the template). */
export async function freshDatabase(max = 6): Promise<Database> {
  return connectDatabase((await createDatabase()).url, { max });
}

async function createDatabase(): Promise<{ url: string; name: string }> {
  const serverUrl = inject('pgServerUrl');
  const template = inject('templateDatabase');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  return { url: serverUrl.replace(/\/postgres$/, `/${name}`), name };
}

export async function startTestSystem(
  opts: {
    timeSkipping?: boolean;
    ui?: boolean;
    temporalAddress?: string;
    /** 'none': the test runs its own worker processes. */ worker?: 'in-process' | 'none';
    /** Settings of the API under test (login limits, CORS origins…). */ app?: Partial<AppDeps>;
  } = {},
): Promise<TestSystem> {
  quietRuntime();
  const db = await createDatabase();
  const database = connectDatabase(db.url, { max: 10 });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;

  let env: TestWorkflowEnvironment | undefined;
  let namespace = 'default';
  let temporal: Client;
  let nativeConnection: NativeConnection;
  let clientConnection: Connection | undefined;
  if (opts.timeSkipping) {
    const path = inject('timeSkippingServerPath');
    // The Java test server can fail to come up on a loaded machine (its port taken meanwhile, a slow JVM
    // start): try again a couple of times before the file fails on it.
    for (let attempt = 1; ; attempt++) {
      try {
        env = await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
        });
        await registerSearchAttributes(env.connection);
        break;
      } catch (err) {
        await env?.teardown().catch(() => undefined);
        env = undefined;
        if (attempt >= 3) throw err;
        console.warn(`time-skipping server did not start (attempt ${attempt}): ${String(err)}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    temporal = env!.client;
    nativeConnection = env!.nativeConnection;
  } else {
    const address = opts.temporalAddress ?? inject('temporalAddress');
    clientConnection = await Connection.connect({ address });
    // Each test file has its own database, so it gets its own namespace too: workflow ids such as case
    // numbers (allocated per database) must not meet another file's workflows on the shared server.
    namespace = await createNamespace(clientConnection, `test-${randomBytes(4).toString('hex')}`);
    temporal = new Client({ connection: clientConnection, namespace });
    nativeConnection = await NativeConnection.connect({ address });
  }

  const bundle = { code: readFileSync(inject('workflowBundlePath'), 'utf8') };
  const newWorker = () =>
    createWorker({
      connection: nativeConnection,
      db: database.db,
      temporal,
      taskQueue,
      namespace,
      workflowBundle: bundle,
      // A short grace period, so that a restart abandons in-flight activities like a crash would.
      options: { shutdownGraceTime: '100ms', shutdownForceTime: '2s' },
    });
  let worker: Worker | undefined = opts.worker === 'none' ? undefined : await newWorker();
  let running = worker?.run() ?? Promise.resolve();

  const uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-uploads-'));
  const app = await buildApp({ database, temporal, taskQueue, namespace, uiDir: opts.ui ? undefined : '/nonexistent', uploadsDir, ...opts.app });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const { http, login } = apiClient(baseUrl);
  let counter = 0;
  return {
    database,
    temporal,
    taskQueue,
    baseUrl,
    uploadsDir,
    get worker() {
      return worker;
    },
    env,
    async restartWorker() {
      worker?.shutdown();
      await running.catch(() => undefined);
      worker = await newWorker();
      running = worker.run();
    },
    databaseUrl: db.url,
    namespace,
    temporalAddress: opts.timeSkipping ? env!.address : (opts.temporalAddress ?? inject('temporalAddress')),
    sql: database.sql,
    http,
    unique: (prefix = 'T') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase(),
    login,
    async stop() {
      await app.close();
      worker?.shutdown();
      await running.catch(() => undefined);
      if (env) await env.teardown();
      else {
        await clientConnection?.close();
        await nativeConnection.close();
      }
      await database.close();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

/** The API at `baseUrl` as a test calls it: JSON requests, and demo users' logins (password wpzf2026), cached. */
export function apiClient(baseUrl: string): Pick<TestSystem, 'http' | 'login'> {
  const http: TestSystem['http'] = async (method, path, o = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...o.headers,
      },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: body as any };
  };

  const tokens = new Map<string, string>();
  return {
    http,
    async login(username: string) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await http('POST', '/api/auth/login', { body: { username, password: 'wpzf2026' } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token);
      return res.body.token as string;
    },
  };
}

/** Registers a namespace with the workflows' search attributes and waits until the server serves it. */
export async function createNamespace(connection: Connection, name: string): Promise<string> {
  await connection.workflowService.registerNamespace({ namespace: name, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await eventually(
    async () => {
      await registerSearchAttributes(connection, name);
      const listed = await connection.operatorService.listSearchAttributes({ namespace: name });
      return 'CountyCode' in (listed.customAttributes ?? {});
    },
    30_000,
    250,
  );
  return name;
}

/** Polls until `fn` returns a truthy value (or throws after the timeout). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
