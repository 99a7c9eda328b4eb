/** Processes and ports as a test sees them from outside: what runs below a pid, what is still alive. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Every process below `pid` (from ps), with its command line. */
export function descendants(pid: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
      return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] };
    });
  const out: { pid: number; args: string }[] = [];
  const walk = (p: number) => {
    for (const r of rows) {
      if (r.ppid === p) {
        out.push({ pid: r.pid, args: r.args });
        walk(r.pid);
      }
    }
  };
  walk(pid);
  return out;
}

/** Alive and not a zombie waiting to be reaped. */
export const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The processes of `pids` still alive after they had up to `ms` to finish. */
export async function survivors(pids: number[], ms = 10_000): Promise<number[]> {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  return pids.filter(alive);
}

export const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

export function tryKill(pid: number, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
