/**
 * Workflow code stays light and deterministic: the bundle the worker loads for every cached workflow
 * holds the Temporal workflow runtime, the workflows and the pure domain modules they use (types,
 * constants, deadline arithmetic, authorisation predicates), and none of the heavy or side-effecting
 * modules (zod, the database drivers, logging, geometry), which are validated and used at the API and
 * activity boundary instead.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, inject } from 'vitest';

describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  /** The source files webpack put in the bundle (it names each module by its path). */
  const modules = [...new Set([...code.matchAll(/\/\*\*\*\/ "(\.\/[^"]+)"/g)].map((m) => m[1]))];

  it('holds the workflows and the domain modules only', () => {
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.some((m) => m.startsWith('./workflows/patch'))).toBe(true);
    const ours = modules.filter((m) => !m.startsWith('./node_modules/'));
    for (const m of ours) expect(m, m).toMatch(/^\.\/(workflows|domain)\//);
    expect(ours.filter((m) => m.startsWith('./domain/schemas'))).toEqual([]);
  });

  it('holds none of the heavy or side-effecting libraries', () => {
    const libraries = new Set(
      modules
        .filter((m) => m.startsWith('./node_modules/'))
        .map((m) =>
          m
            .split('/')
            .slice(2, m.split('/')[2].startsWith('@') ? 4 : 3)
            .join('/'),
        ),
    );
    for (const heavy of ['zod', 'drizzle-orm', 'postgres', 'pino', '@turf/turf', 'exceljs', 'proj4', 'fastify'])
      expect(libraries.has(heavy), heavy).toBe(false);
    for (const lib of libraries) expect(lib, lib).toMatch(/^(@temporalio\/|ms$|long$|nexus-rpc$|proto3-json-serializer$|protobufjs$|@protobufjs\/)/);
  });
});
