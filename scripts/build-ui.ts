/**
 * Builds the admin UI (vite) into admin-ui/dist when its sources changed since the last build, so that
 * later starts skip the build. The build goes to a folder of its own and is moved into place when
 * complete, so a server (or a test) reading dist never sees it half-written or emptied.
 *
 * Always a production build: vite (and the React plugin) take the mode from NODE_ENV when it is set, and
 * under vitest it is "test" — which made a development build (jsxDEV, React's dev warnings, 2.4 MB
 * unminified) that `npm start` then served because the sources' hash matched. So the build runs in a
 * child process with NODE_ENV=production, the mode is part of the hash, and a bundle still holding
 * jsxDEV is refused. Every asset is also written gzip- and brotli-compressed for the server to send
 * as is (@fastify/static's preCompressed).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../infra/config';

const UI_ROOT = path.join(PROJECT_ROOT, 'admin-ui');
const DIST = path.join(UI_ROOT, 'dist');
const STAMP = path.join(DIST, '.build-hash');
/** What kind of build the hash stands for: a build of another kind (or by an older script) is stale. */
const BUILD_KIND = 'production+precompressed/2';
/** Files worth compressing; smaller ones are sent as they are. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map)$/;
const MIN_COMPRESS_BYTES = 1024;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.dist-')) return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : [full];
  });
}

export function uiSourceHash(): string {
  const hash = createHash('sha256').update(BUILD_KIND);
  const files = [
    ...sourceFiles(UI_ROOT),
    ...sourceFiles(path.join(PROJECT_ROOT, 'domain')),
    path.join(PROJECT_ROOT, 'package-lock.json'),
    path.join(PROJECT_ROOT, 'scripts', 'build-ui.ts'),
  ].sort();
  for (const f of files) hash.update(f).update(readFileSync(f));
  return hash.digest('hex');
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

/** Writes name.gz and name.br next to every compressible file of the build. */
function precompress(dir: string): void {
  for (const file of allFiles(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const body = readFileSync(file);
    if (body.length < MIN_COMPRESS_BYTES) continue;
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  }
}

/** A development build shows itself by React's development JSX runtime. */
export function isDevelopmentBundle(dir: string): boolean {
  return allFiles(path.join(dir, 'assets')).some((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('jsxDEV'));
}

export async function buildAdminUi(log: (m: string) => void = () => {}): Promise<void> {
  const started = Date.now();
  const hash = uiSourceHash();
  const staging = path.join(UI_ROOT, `.dist-${process.pid}-${Date.now()}`);
  try {
    // A process of its own: NODE_ENV decides the build's mode and must not be that of the caller (vitest: "test").
    const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    await promisify(execFile)(
      process.execPath,
      [vite, 'build', '--config', path.join(UI_ROOT, 'vite.config.ts'), '--mode', 'production', '--logLevel', 'warn', '--outDir', staging, '--emptyOutDir'],
      { cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024 },
    );
    if (isDevelopmentBundle(staging)) throw new Error('the admin UI build is a development build (jsxDEV in the bundle)');
    precompress(staging);
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
