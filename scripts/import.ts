/**
 * Imports batch files from the command line, with progress:
 *
 *   npm run import -- FILE [FILE …] --batch CODE --source ministry|province [--name NAME]
 *       [--kind monthly|annual_supplementary|mineral] [--imaged YYYY-MM-DD] [--issued YYYY-MM-DD]
 *       [--preset provincial|system] [--area-unit m2|mu|ha] [--mapping '{"code":"TBBH"}' | --mapping @file.json]
 *       [--as USERNAME] [--concurrency 32] [--chunk-size 250] [--take-over] [--report report.json]
 *
 * FILE is a GeoJSON file or a zipped shapefile. Runs against DATABASE_URL / TEMPORAL_ADDRESS, or against
 * what `npm start` runs on this machine (its embedded PostgreSQL and Temporal dev server). Running the
 * same command again resumes an interrupted import (Ctrl-C interrupts cleanly) and starts nothing twice;
 * after a crash (kill -9) the next run waits for the dead run's lease to expire, or takes it over at once
 * with --take-over.
 *
 * Exit codes: 0 imported (rejected features are listed in the report), 1 failed, 2 refused (options,
 * file, coordinate system, batch conflict), 3 interrupted.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { connectDatabase } from '../db/client';
import { users } from '../db/schema';
import { importOptionsSchema } from '../domain/schemas/imports';
import { SYSTEM_ACTOR, type Actor, type Role } from '../domain/types';
import { embeddedDatabaseUrl, loadConfig } from '../infra/config';
import { runImportResuming } from '../ingest/resume';
import { unavailable } from '../infra/unavailable';
import { BatchConflictError, createImport, LEASE_MS, LeaseHeldError, newRunnerId, type ImportRow } from '../ingest/jobs';
import { importReport } from '../ingest/report';
import { openSource, SourceError } from '../ingest/source';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: 'string' },
    name: { type: 'string' },
    source: { type: 'string' },
    kind: { type: 'string' },
    imaged: { type: 'string' },
    issued: { type: 'string' },
    preset: { type: 'string' },
    'area-unit': { type: 'string' },
    mapping: { type: 'string' },
    as: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    'chunk-size': { type: 'string', default: '250' },
    'take-over': { type: 'boolean', default: false },
    report: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = () =>
  console.error(
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('*/')[0]
      .replace(/^\/\*\*?|^ \* ?/gm, ''),
  );
if (values.help || positionals.length === 0) {
  usage();
  process.exit(values.help ? 0 : 2);
}

function refuse(message: string): never {
  console.error(`拒绝导入：${message}`);
  process.exit(2);
}

const mappingText = values.mapping?.startsWith('@') ? readFileSync(values.mapping.slice(1), 'utf8') : values.mapping;
let mapping: unknown;
try {
  mapping = mappingText ? JSON.parse(mappingText) : undefined;
} catch {
  refuse('--mapping 不是合法的 JSON');
}
const parsed = importOptionsSchema.safeParse({
  batchCode: values.batch,
  batchName: values.name,
  source: values.source,
  kind: values.kind,
  imagedOn: values.imaged,
  issuedOn: values.issued,
  preset: values.preset,
  areaUnit: values['area-unit'],
  mapping,
});
if (!parsed.success) {
  const flags: Record<string, string> = { batchCode: '--batch', batchName: '--name', imagedOn: '--imaged', issuedOn: '--issued', areaUnit: '--area-unit' };
  refuse(parsed.error.issues.map((i) => `${flags[String(i.path[0])] ?? `--${i.path.join('.')}`}: ${i.message}`).join('; '));
}
const options = parsed.data;

const config = loadConfig();
// Without DATABASE_URL / TEMPORAL_ADDRESS: what `npm start` runs here (embedded PostgreSQL: user
// "postgres" with the random password kept in DATA_DIR/pg-password, database "wpzf"; the Temporal dev
// server on TEMPORAL_PORT).
let databaseUrl: string;
try {
  databaseUrl = config.databaseUrl ?? embeddedDatabaseUrl(config);
} catch (err) {
  console.error(`无法连接内置 PostgreSQL：${(err as Error).message}。请先 npm start，或设置 DATABASE_URL。`);
  process.exit(1);
}
const temporalAddress = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
const database = connectDatabase(databaseUrl, { max: 10 });
const connection = await Connection.connect({ address: temporalAddress }).catch((err) => {
  console.error(`无法连接 Temporal（${temporalAddress}）：${(err as Error).message}。请先 npm start，或设置 TEMPORAL_ADDRESS。`);
  process.exit(1);
});
const temporal = new Client({ connection, namespace: config.temporalNamespace });
const deps = { db: database.db, temporal, taskQueue: config.taskQueue };

async function actorFor(username: string | undefined): Promise<Actor> {
  if (!username) return SYSTEM_ACTOR;
  const [u] = await database.db.select().from(users).where(eq(users.username, username));
  if (u?.role !== 'administrator') refuse(`--as ${username}：没有这个管理员`);
  return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role as Role, regionCode: u.regionCode, classified: u.classified };
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

const tty = process.stderr.isTTY;
function progress(job: ImportRow, startedAt: number, startCursor: number) {
  const width = 30;
  const filled = Math.round((width * job.cursor) / job.total);
  const rate = (job.cursor - startCursor) / Math.max(0.001, (Date.now() - startedAt) / 1000);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${job.cursor}/${job.total} 要素 · 已启动 ${job.started} · 已存在 ${job.existing} · 拒收 ${job.rejected} · 警告 ${job.warned} · ${rate.toFixed(0)} 个/秒`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\n正在中断：等待进行中的启动完成…\n');
  controller.abort();
});

let exitCode = 0;
try {
  const actor = await actorFor(values.as);
  for (const file of positionals) {
    const filePath = path.resolve(file);
    if (!existsSync(filePath)) refuse(`文件不存在：${file}`);
    let source: Awaited<ReturnType<typeof openSource>>;
    try {
      source = await openSource(filePath);
    } catch (err) {
      if (err instanceof SourceError) refuse(`${file}：${err.message}`);
      throw err;
    }
    let result: Awaited<ReturnType<typeof createImport>>;
    try {
      result = await createImport(database.db, source, {
        filePath,
        fileName: path.basename(filePath),
        fileHash: await sha256(filePath),
        options,
        actor,
        origin: 'cli',
      });
    } catch (err) {
      if (err instanceof BatchConflictError) refuse(err.message);
      throw err;
    }
    const { job } = result;
    console.error(
      `${result.created ? '新建' : '继续'}导入 ${job.id}：${file} → 批次 ${job.batchCode}（${source.format}，${source.crs.name}，${job.total} 个要素${job.cursor ? `，已完成 ${job.cursor}` : ''}）`,
    );
    const startedAt = Date.now();
    let final: ImportRow | undefined;
    while (!final) {
      try {
        final = await runImportResuming(deps, job.id, {
          owner: newRunnerId(),
          takeOver: values['take-over'],
          concurrency: Number(values.concurrency),
          chunkSize: Number(values['chunk-size']),
          signal: controller.signal,
          onProgress: (j) => progress(j, startedAt, job.cursor),
          onInterruption: (err, delayMs) =>
            console.error(`\n${unavailable(err)?.message ?? (err as Error).message}：${Math.round(delayMs / 1000)} 秒后自动续传…`),
        });
      } catch (err) {
        if (!(err instanceof LeaseHeldError) || controller.signal.aborted) throw err;
        console.error(`该导入正由 ${err.owner} 执行，租约至 ${err.until.toISOString()}；等待（确知其已终止时可加 --take-over 立即接管）…`);
        await new Promise((r) => setTimeout(r, Math.min(LEASE_MS, Math.max(1000, err.until.getTime() - Date.now() + 500))));
      }
    }
    if (tty) process.stderr.write('\n');
    const report = await importReport(database.db, final, { classified: actor.classified });
    if (final.status === 'interrupted') {
      console.error(`已中断于 ${final.cursor}/${final.total}。重新运行同一命令即可续传（不会重复启动）。`);
      exitCode = 3;
      break;
    }
    const b = report.batch;
    console.log(
      `导入 ${final.id} ${final.status === 'completed' ? '完成' : final.status}：${final.total} 个要素，接收 ${final.accepted}（新下发图斑 ${final.started}，此前已下发 ${final.existing}，其中军用 ${final.military}），拒收 ${final.rejected}，警告 ${final.warned}`,
    );
    if (b?.t10) console.log(`批次 ${b.code}：成像 ${b.imagedOn}，下发 ${b.issuedOn}，${b.t10.message}`);
    for (const h of report.hints) console.log(`提示：${h.message}`);
    for (const item of report.rejectedFeatures.slice(0, 50))
      console.log(`  拒收 第${item.feature}个要素 ${item.code ?? ''}：${item.reasons.map((r) => r.message).join('；')}`);
    if (report.rejectedFeatures.length > 50) console.log(`  …… 另有 ${report.rejectedFeatures.length - 50} 个拒收要素，见 --report 输出`);
    if (values.report) {
      writeFileSync(values.report, JSON.stringify(report, null, 2));
      console.log(`报告已写入 ${values.report}`);
    }
  }
} catch (err) {
  console.error(`\n导入失败：${(err as Error).message}`);
  exitCode = 1;
} finally {
  await connection.close();
  await database.close();
}
process.exit(exitCode);
