/**
 * The Java time-skipping test server, started here with a patient start-up: the SDK gives it five seconds,
 * which a loaded machine's JVM does not always make. A client connection with the test service gives the
 * clock (getCurrentTime) and the skip (unlockTimeSkippingWithSleep) that TestWorkflowEnvironment uses.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import { findOrFetchTimeSkippingServer } from '../../infra/time-skipping-server';
import { registerSearchAttributes } from '../../infra/search-attributes';
import { freePort } from '../../test/support/ports';

export interface TimeServer {
  client: Client;
  nativeConnection: NativeConnection;
  sleep(ms: number): Promise<void>;
  now(): Promise<number>;
  stop(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startTimeServer(log: (m: string) => void, timeoutMs = 180_000): Promise<TimeServer> {
  const executable = findOrFetchTimeSkippingServer(log);
  if (!executable) throw new Error('no time-skipping test server: install Java and Maven (infra/time-skipping-server.ts)');
  const port = await freePort();
  const child: ChildProcess = spawn(executable, [String(port)], { stdio: 'ignore' });
  const t0 = Date.now();
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the time-skipping server did not listen on ${port} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`time-skipping server on ${port} after ${Date.now() - t0} ms`);
  const address = `127.0.0.1:${port}`;
  // The SDK's own switch for the test service on a plain connection (what TestWorkflowEnvironment sets).
  const options = { address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as Parameters<typeof Connection.connect>[0];
  const connection = await Connection.connect(options);
  await registerSearchAttributes(connection);
  const nativeConnection = await NativeConnection.connect({ address });
  const test = connection.testService!;
  return {
    client: new Client({ connection }),
    nativeConnection,
    sleep: async (ms) => {
      await test.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
    },
    now: async () => tsToMs((await test.getCurrentTime({})).time),
    async stop() {
      await nativeConnection.close();
      await connection.close();
      child.kill('SIGTERM');
    },
  };
}
