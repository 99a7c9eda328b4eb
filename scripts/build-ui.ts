/**
 * Builds the admin UI (vite) into admin-ui/dist when its sources changed since the last build, so that
 * later starts skip the build. The build goes to a folder of its own and is moved into place when
 * complete, so a server (or a test) reading dist never sees it half-written or emptied.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/config';

const UI_ROOT = path.join(PROJECT_ROOT, 'admin-ui');
const DIST = path.join(UI_ROOT, 'dist');
const STAMP = path.join(DIST, '.build-hash');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.dist-')) return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : [full];
  });
}

export function uiSourceHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(UI_ROOT), ...sourceFiles(path.join(PROJECT_ROOT, 'domain')), path.join(PROJECT_ROOT, 'package-lock.json')].sort();
  for (const f of files) hash.update(f).update(readFileSync(f));
  return hash.digest('hex');
}

export async function buildAdminUi(log: (m: string) => void = () => {}): Promise<void> {
  const { build } = await import('vite');
  const started = Date.now();
  const hash = uiSourceHash();
  const staging = path.join(UI_ROOT, `.dist-${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: path.join(UI_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    writeFileSync(path.join(staging, '.build-hash'), hash);
    const old = `${staging}-old`;
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(staging, DIST);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`admin UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function buildAdminUiIfStale(log: (m: string) => void = () => {}): Promise<void> {
  const current = uiSourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === current && existsSync(path.join(DIST, 'index.html'))) return;
  log('building the admin UI…');
  await buildAdminUi(log);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAdminUi(console.log);
}
