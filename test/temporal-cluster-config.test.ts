/**
 * The cluster's generated configuration (infra/temporal-cluster/config.ts): ports below 32768 (the
 * membership table stores them as smallint), kept across starts, the shard count fixed once chosen, and
 * one configuration naming the four services and both PostgreSQL databases.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterLayout, probePort, TEMPORAL_SERVICES, writeClusterConfig } from '../infra/temporal-cluster/config';
import { postgresTarget } from '../infra/temporal-cluster/schema';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-cluster-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Temporal cluster configuration', () => {
  it('chooses ports below 32768 once, keeps them, and refuses another shard count', async () => {
    const first = await clusterLayout(dir, { frontendPort: 27233, shards: 4 });
    expect(first.ports.frontend.grpc).toBe(27233);
    for (const s of TEMPORAL_SERVICES) {
      expect(first.ports[s].membership).toBeLessThan(32768);
      expect(probePort(first, s)).toBeLessThan(32768);
    }
    const second = await clusterLayout(dir, { frontendPort: 27233, shards: 4 });
    expect(second.ports).toEqual(first.ports);
    await expect(clusterLayout(dir, { frontendPort: 27233, shards: 8 })).rejects.toThrow(/created with 4 history shards.*fixed/);
  });

  it('writes one configuration for the four services on both databases, with the password kept private', async () => {
    const layout = await clusterLayout(dir, { frontendPort: 27233, shards: 4 });
    const pg = postgresTarget('postgres://postgres:s%40cret@127.0.0.1:5433/wpzf');
    expect(pg).toEqual({ host: '127.0.0.1', port: 5433, user: 'postgres', password: 's@cret' });
    const configDir = writeClusterConfig(layout, pg);
    const file = path.join(configDir, 'development.yaml');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(config.services).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    expect(config.persistence.numHistoryShards).toBe(4);
    expect(config.persistence.datastores['postgres-default'].sql).toMatchObject({
      databaseName: 'temporal',
      connectAddr: '127.0.0.1:5433',
      password: 's@cret',
    });
    expect(config.persistence.datastores['postgres-visibility'].sql.databaseName).toBe('temporal_visibility');
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});
