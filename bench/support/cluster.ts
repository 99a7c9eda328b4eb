/**
 * The benchmarks' `--cluster` shape: Temporal 1.29.1 on the benchmark's own PostgreSQL as four service
 * processes (frontend, history, matching, worker) from the configuration `npm run start:cluster`
 * generates, with TEMPORAL_HISTORY_SHARDS (4) history shards; the worker stays in the benchmark's process,
 * as on the dev server, so that the two shapes differ only in the Temporal server.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { EmbeddedPostgresHandle } from '../../infra/postgres';
import { findOrBuildTemporalServer } from '../../infra/temporal-cluster/binaries';
import { clusterLayout, freeClusterPort, writeClusterConfig } from '../../infra/temporal-cluster/config';
import { ensureNamespace } from '../../infra/temporal-cluster/namespace';
import { ensureTemporalSchemas, postgresTarget } from '../../infra/temporal-cluster/schema';
import { type ServiceProcess, spawnTemporalService } from '../../infra/temporal-cluster/services';

export interface BenchCluster {
  address: string;
  client: Client;
  shards: number;
  stop(): Promise<void>;
}

export async function startBenchCluster(pg: EmbeddedPostgresHandle, dir: string): Promise<BenchCluster> {
  const shards = Number(process.env.TEMPORAL_HISTORY_SHARDS ?? 4);
  const bin = await findOrBuildTemporalServer((m) => console.log(m));
  const target = postgresTarget(pg.serverUrl);
  await ensureTemporalSchemas(bin, target);
  const layout = await clusterLayout(path.join(dir, 'cluster'), { frontendPort: await freeClusterPort(), shards });
  writeClusterConfig(layout, target);
  const services: ServiceProcess[] = [];
  const stopServices = async () => {
    for (const s of services.reverse()) await s.stop();
  };
  try {
    for (const service of ['history', 'matching', 'frontend', 'worker'] as const) services.push(await spawnTemporalService({ bin, layout, service }));
    const address = `127.0.0.1:${layout.ports.frontend.grpc}`;
    await ensureNamespace(address, 'default');
    const connection = await Connection.connect({ address });
    return {
      address,
      client: new Client({ connection, namespace: 'default' }),
      shards,
      async stop() {
        await connection.close();
        await stopServices();
      },
    };
  } catch (err) {
    await stopServices();
    throw err;
  }
}
