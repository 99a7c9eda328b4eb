/** A worker in its own process (worker/main.ts), so that a test can kill it as a crash would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../infra/config';
import type { TestSystem } from './system';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker polls its task queue. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(sys: TestSystem): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker/main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: sys.databaseUrl,
      TEMPORAL_ADDRESS: sys.temporalAddress,
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      TEMPORAL_NAMESPACE: sys.namespace,
      LOG_LEVEL: 'info',
      LOG_JSON: '1',
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
    if (process.env.DEBUG_WORKER) {
      child.stdout!.on('data', (c) => process.stdout.write(c));
      child.stderr!.on('data', (c) => process.stderr.write(c));
    }
  });
  return {
    child,
    ready,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
