/**
 * The folders are layers and imports go one way (domain ← workflows/activities ← services ← ingest/api), with
 * no cycle between files; workflows/ imports nothing with side effects. Checked by dependency-cruiser with the
 * rules of .dependency-cruiser.cjs (`npm run lint:deps`, run in CI); here too, so that a test run catches it.
 */
import { execFileSync } from 'node:child_process';
import { defineSignal } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { caseStatusSignal, mergeIntoSignal, policyChangedSignal } from '../domain/messages';

const LAYERS = ['activities', 'api', 'db', 'domain', 'infra', 'ingest', 'services', 'workflows', 'worker', 'scripts', 'bench'];

interface Cruise {
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string; cycle?: Array<{ name: string }> }> };
  modules: Array<{ source: string; dependencies: Array<{ resolved: string; dependencyTypes: string[] }> }>;
}

function cruise(): Cruise {
  const out = execFileSync(process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--output-type', 'json', ...LAYERS], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Cruise;
}

describe('the dependency rules', () => {
  const result = cruise();
  const folderOf = (path: string) => path.split('/')[0];
  const edges = result.modules.flatMap((m) =>
    m.dependencies.map((d) => ({ from: m.source, to: d.resolved, typeOnly: d.dependencyTypes.includes('type-only') })),
  );

  it('hold for the whole tree: no violation', () => {
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('leave no cycle between folders: db/, activities/ and ingest/ import nothing above them', () => {
    const upward = edges.filter(
      (e) =>
        (folderOf(e.from) === 'db' && ['activities', 'workflows', 'api', 'ingest', 'services'].includes(folderOf(e.to))) ||
        (folderOf(e.from) === 'activities' && ['workflows', 'api', 'ingest', 'services'].includes(folderOf(e.to))) ||
        (folderOf(e.from) === 'ingest' && folderOf(e.to) === 'api'),
    );
    expect(upward).toEqual([]);
  });

  it('let workflows/ import at run time only workflows/, domain/ (not its zod schemas) and @temporalio/workflow', () => {
    const bad = edges.filter(
      (e) =>
        folderOf(e.from) === 'workflows' && !e.typeOnly && !/^(workflows|domain)\//.test(e.to) && !/(^|\/)node_modules\/@temporalio\/workflow\//.test(e.to),
    );
    expect(bad).toEqual([]);
    expect(edges.filter((e) => folderOf(e.from) === 'workflows' && e.to.startsWith('domain/schemas/'))).toEqual([]);
  });
});

describe('the messages activities share with workflows (domain/messages.ts)', () => {
  it('are the very definitions defineSignal makes, so workflows and activities agree on them', () => {
    expect(caseStatusSignal).toEqual(defineSignal('caseStatus'));
    expect(policyChangedSignal).toEqual(defineSignal('policyChanged'));
    expect(mergeIntoSignal).toEqual(defineSignal('mergeInto'));
  });
});
