/**
 * Builds the admin UI (vite) into admin-ui/dist when its sources changed since the last build, so that
 * later starts skip the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/config';

const UI_ROOT = path.join(PROJECT_ROOT, 'admin-ui');
const DIST = path.join(UI_ROOT, 'dist');
const STAMP = path.join(DIST, '.build-hash');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
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
  await build({ configFile: path.join(UI_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, uiSourceHash());
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
