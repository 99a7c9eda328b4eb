/**
 * Receiving an import upload: the multipart form's fields, and its file streamed to disk while hashed
 * (never held in memory). Files are kept content-addressed in the imports folder while their job may
 * resume.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { loadConfig } from '../../infra/config';
import { mib } from '../../ingest/limits';
import { ApiError, fieldIssue } from '../errors';

/** The largest batch file accepted (a 10k-patch GeoJSON is about 5 MB; whole-province files are larger). IMPORT_MAX_UPLOAD_BYTES. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export const maxUploadBytes = () => {
  const n = Number(process.env.IMPORT_MAX_UPLOAD_BYTES);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : MAX_UPLOAD_BYTES;
};

export const importsDir = () => path.join(loadConfig().uploadsDir, 'imports');

export interface Upload {
  fields: Record<string, string>;
  file?: { tmpPath: string; fileName: string; hash: string; size: number };
}

/** What the upload is, in the too-large message. */
const BATCH_FILE = { zh: '批次文件', en: 'the batch file' };

export async function receiveUpload(req: FastifyRequest, dir = importsDir(), what = BATCH_FILE): Promise<Upload> {
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  const limit = maxUploadBytes();
  let file: Upload['file'];
  try {
    for await (const part of req.parts({ limits: { fileSize: limit, files: 1, fields: 30 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume(); // drain parts that are not the batch file
          continue;
        }
        const tmpPath = path.join(dir, `.upload-${randomBytes(6).toString('hex')}`);
        const hash = createHash('sha256');
        let size = 0;
        file = { tmpPath, fileName: part.filename || 'upload', hash: '', size: 0 };
        await pipeline(
          part.file,
          new Transform({
            transform(chunk: Buffer, _enc, done) {
              hash.update(chunk);
              size += chunk.length;
              done(null, chunk);
            },
          }),
          createWriteStream(tmpPath),
        );
        file.hash = hash.digest('hex');
        file.size = size;
      } else {
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (err) {
    if (file) await rm(file.tmpPath, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      // Received as a stream and cut off at the limit: nothing of it is kept.
      const [zh, en] = [`${what.zh}不得超过 ${mib(limit)}`, `${what.en} may not exceed ${mib(limit)}`];
      throw new ApiError('InvalidPayload', zh, en, [fieldIssue('file', 'file_too_large', zh, en, { maxBytes: limit })], 413);
    }
    throw err;
  }
  return { fields, file };
}

/** Moves an accepted upload to its content-addressed place (where an identical file may already be). */
export async function keepUpload(tmpPath: string, hash: string, format: 'geojson' | 'shapefile', dir = importsDir()): Promise<string> {
  const finalPath = path.join(dir, `${hash}.${format === 'shapefile' ? 'zip' : 'geojson'}`);
  const exists = await stat(finalPath).then(
    () => true,
    () => false,
  );
  if (exists) await rm(tmpPath, { force: true });
  else await rename(tmpPath, finalPath);
  return finalPath;
}
