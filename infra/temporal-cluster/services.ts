/**
 * One Temporal service (frontend, history, matching or the internal worker) as a process of its own,
 * all from the one generated configuration: `server --root <root> --config config --env development
 * --allow-no-auth start --service <name>`. Ready when its gRPC port accepts connections (the frontend:
 * when it answers GetSystemInfo).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { frontendAnswers } from '../temporal-dev-server';
import type { TemporalServerBinaries } from './binaries';
import { type ClusterLayout, probePort, type TemporalService } from './config';

export interface ServiceProcess {
  name: TemporalService;
  child: ChildProcess;
  exited: Promise<string>;
  stop(graceMs?: number): Promise<void>;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` (one short attempt). */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A JSON log line as "level: msg (error)", without the stack trace; undefined for the rest ("Loading config…"). */
function summary(line: string): string | undefined {
  try {
    const o = JSON.parse(line) as { level?: string; msg?: string; error?: string };
    return `${o.level}: ${o.msg}${o.error ? ` (${o.error})` : ''}`;
  } catch {
    return undefined;
  }
}

export async function spawnTemporalService(opts: {
  bin: TemporalServerBinaries;
  layout: ClusterLayout;
  service: TemporalService;
  /** In its own process group, so that Ctrl-C reaches only the launcher, which stops it in order. */
  detached?: boolean;
  readyTimeoutMs?: number;
  /** Each line the service logs (warnings and errors at the generated log level). */
  onLog?: (line: string) => void;
}): Promise<ServiceProcess> {
  const { layout, service } = opts;
  const child = spawn(
    opts.bin.server,
    ['--root', layout.root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start', '--service', service],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split('\n')) {
      const said = summary(line);
      if (said) opts.onLog?.(said);
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))));
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  let ended = false;
  void exited.then(() => (ended = true));
  const port = probePort(layout, service);
  const until = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (ended) throw new Error(`Temporal ${service} exited on start:\n${output}`);
    const ready = service === 'frontend' ? await frontendAnswers(`127.0.0.1:${port}`) : await portAnswers(port);
    if (ready) break;
    if (Date.now() > until) {
      await stop(1000);
      throw new Error(`Temporal ${service} did not answer on port ${port} within the time limit:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name: service, child, exited, stop };
}
