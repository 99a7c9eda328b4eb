/**
 * The cluster's configuration, generated from code on every start (nothing copied by hand): the
 * module's config/development-postgres12.yaml and config/dynamicconfig/development-sql.yaml with our
 * ports, our PostgreSQL and our number of history shards, written as JSON (which YAML reads) to
 * `<data>/temporal-cluster/config/development.yaml`.
 *
 * The ports are chosen once (the frontend's from TEMPORAL_PORT, the others free ones) and kept in
 * `<data>/temporal-cluster/cluster.json` with the shard count, so that a second start finds the same
 * cluster (ports below 32768: the membership table stores them as smallint). The number of history shards (TEMPORAL_HISTORY_SHARDS, 4 by default) is fixed when the
 * cluster's database is created: a start asking for another number is refused.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
}

export interface ClusterLayout {
  /** `--root` of every service; the configuration is in `<root>/config`. */
  root: string;
  shards: number;
  ports: Record<TemporalService, ServicePorts> & { frontendHttp: number };
}

/** The port that shows a service is up: its gRPC port (the internal worker service serves none: its membership port). */
export const probePort = (layout: ClusterLayout, s: TemporalService) => (s === 'worker' ? layout.ports.worker.membership : layout.ports[s].grpc);

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

export const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

/**
 * A free port below 32768: the cluster_membership table keeps ports as smallint, so the kernel's
 * ephemeral ports (32768 and up) make a service fail its first heartbeat.
 */
export async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portFree(port)) return port;
  }
}

/**
 * The cluster kept under `dataDir` (its ports, its shard count), or a new one. A kept port that another
 * program took meanwhile is replaced by a free one (the services find each other through the database,
 * so only the frontend's port is seen from outside).
 */
export async function clusterLayout(dataDir: string, opts: { frontendPort: number; shards: number }): Promise<ClusterLayout> {
  const root = path.join(dataDir, 'temporal-cluster');
  mkdirSync(path.join(root, 'config', 'dynamicconfig'), { recursive: true });
  const file = path.join(root, 'cluster.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Omit<ClusterLayout, 'root'>) : undefined;
  if (kept && kept.shards !== opts.shards) {
    throw new Error(
      `this cluster was created with ${kept.shards} history shards (${file}); the number is fixed once a cluster exists: ` +
        `set TEMPORAL_HISTORY_SHARDS=${kept.shards}, or start a new cluster in another DATA_DIR`,
    );
  }
  const pick = async (keptPort: number | undefined) => (keptPort && (await portFree(keptPort)) ? keptPort : freeClusterPort());
  const service = async (name: TemporalService): Promise<ServicePorts> => ({
    grpc: name === 'frontend' ? opts.frontendPort : await pick(kept?.ports[name].grpc),
    membership: await pick(kept?.ports[name].membership),
  });
  const ports = {
    frontend: await service('frontend'),
    history: await service('history'),
    matching: await service('matching'),
    worker: await service('worker'),
    frontendHttp: await pick(kept?.ports.frontendHttp),
  };
  writeFileSync(file, `${JSON.stringify({ shards: opts.shards, ports }, null, 2)}\n`);
  return { root, shards: opts.shards, ports };
}

function datastore(pg: PostgresTarget, databaseName: string, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/** The static configuration (config/development-postgres12.yaml's shape). */
export function serverConfig(layout: ClusterLayout, pg: PostgresTarget, logLevel = 'warn') {
  const rpc = (s: TemporalService) => ({
    rpc: {
      grpcPort: layout.ports[s].grpc,
      membershipPort: layout.ports[s].membership,
      bindOnLocalHost: true,
      ...(s === 'frontend' ? { httpPort: layout.ports.frontendHttp } : {}),
    },
  });
  return {
    log: { stdout: true, level: logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: layout.shards,
      datastores: {
        'postgres-default': datastore(pg, TEMPORAL_DATABASES.default, 20),
        'postgres-visibility': datastore(pg, TEMPORAL_DATABASES.visibility, 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(TEMPORAL_SERVICES.map((s) => [s, rpc(s)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${layout.ports.frontend.grpc}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: path.join(layout.root, 'config', 'dynamicconfig', 'development-sql.yaml'), pollInterval: '10s' },
  };
}

/** The dynamic configuration (config/dynamicconfig/development-sql.yaml's, less what the project does not use). */
export const DYNAMIC_CONFIG = {
  'limit.maxIDLength': [{ value: 255, constraints: {} }],
  'frontend.enableUpdateWorkflowExecution': [{ value: true }],
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
  'frontend.enableExecuteMultiOperation': [{ value: true }],
  'history.hostLevelCacheMaxSize': [{ value: 8192 }],
};

/** Writes both files; returns the `--config` folder. */
export function writeClusterConfig(layout: ClusterLayout, pg: PostgresTarget, logLevel?: string): string {
  const dir = path.join(layout.root, 'config');
  // It carries the database password: readable by the service account only.
  const file = path.join(dir, 'development.yaml');
  writeFileSync(file, `${JSON.stringify(serverConfig(layout, pg, logLevel), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  writeFileSync(path.join(dir, 'dynamicconfig', 'development-sql.yaml'), `${JSON.stringify(DYNAMIC_CONFIG, null, 2)}\n`);
  return dir;
}
