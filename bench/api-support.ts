/**
 * What the benchmarks that act through the HTTP API share: the real API (buildApp) on a real port over a
 * bench system, demo users' logins, extra users of one region, and latency figures (p50/p95/p99). The
 * API's Temporal client and the worker can be given interceptors, so that a benchmark can say where the
 * time of a request goes (the Update round trip, the activities).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, WorkerOptions } from '@temporalio/worker';
import { buildApp } from '../api/app';
import { hashPassword } from '../api/passwords';
import { users } from '../db/schema';
import type { Role } from '../domain/types';
import { DEMO_PASSWORD } from '../scripts/demo/users';
import { type BenchSystem, startBenchSystem } from './support';

export interface ApiBench extends BenchSystem {
  baseUrl: string;
  http<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  /** Logs a user in (demo password) and returns the bearer token. */
  login(username: string): Promise<string>;
}

export async function startApiBench(
  opts: { memory?: boolean; workerOptions?: Partial<WorkerOptions>; clientInterceptors?: WorkflowClientInterceptor[] } = {},
): Promise<ApiBench> {
  const sys = await startBenchSystem({ memory: opts.memory, workerOptions: opts.workerOptions });
  const uploadsDir = path.join(sys.tmp, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const temporal = opts.clientInterceptors
    ? new Client({ connection: sys.temporal.connection, namespace: 'default', interceptors: { workflow: opts.clientInterceptors } })
    : sys.temporal;
  const app = await buildApp({
    database: sys.database,
    temporal,
    taskQueue: sys.taskQueue,
    namespace: 'default',
    uiDir: '/nonexistent',
    uploadsDir,
    loginRateLimit: 100_000,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const http: ApiBench['http'] = async (method, p, o = {}) => {
    const res = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const tokens = new Map<string, string>();
  return {
    ...sys,
    baseUrl,
    http,
    async login(username) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await http('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token);
      return res.body.token as string;
    },
    async stop() {
      await app.close();
      await sys.stop();
    },
  };
}

/** Adds `n` users of a role in a region (demo password); returns their usernames. */
export async function addUsers(sys: BenchSystem, prefix: string, n: number, role: Role, regionCode: string): Promise<string[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const names = Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  await sys.database.db
    .insert(users)
    .values(names.map((username, i) => ({ username, displayName: `${prefix}${i + 1}`, role, regionCode, passwordHash })))
    .onConflictDoNothing({ target: users.username });
  return names;
}

/** Durations (ms) by name, and their percentiles. */
export class Timings {
  private readonly samples = new Map<string, number[]>();

  add(name: string, ms: number): void {
    const list = this.samples.get(name) ?? [];
    list.push(ms);
    this.samples.set(name, list);
  }

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - t0);
    }
  }

  clear(): void {
    this.samples.clear();
  }

  names(): string[] {
    return [...this.samples.keys()];
  }

  count(name: string): number {
    return this.samples.get(name)?.length ?? 0;
  }

  total(name: string): number {
    return (this.samples.get(name) ?? []).reduce((a, b) => a + b, 0);
  }

  percentile(name: string, p: number): number {
    const sorted = [...(this.samples.get(name) ?? [])].sort((a, b) => a - b);
    if (!sorted.length) return Number.NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  }

  /** One line: count, mean, p50, p95, p99 (ms). */
  line(name: string, label = name): string {
    const n = this.count(name);
    const f = (v: number) => v.toFixed(1).padStart(8);
    return `${label.padEnd(34)} n ${String(n).padStart(6)}  mean ${f(this.total(name) / n)}  p50 ${f(this.percentile(name, 50))}  p95 ${f(this.percentile(name, 95))}  p99 ${f(this.percentile(name, 99))} ms`;
  }
}

/** A worker interceptor that times each activity (local ones too) by its type into `timings`. */
export const activityTimer = (timings: Timings) => (): { inbound: ActivityInboundCallsInterceptor } => ({
  inbound: {
    async execute(input, next) {
      const info = Context.current().info;
      const t0 = performance.now();
      try {
        return await next(input);
      } finally {
        timings.add(`activity ${info.activityType}${info.isLocal ? ' (local)' : ''}`, performance.now() - t0);
      }
    },
  },
});
