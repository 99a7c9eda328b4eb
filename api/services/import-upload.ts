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

/** The largest batch file accepted (a 10k-patch GeoJSON is about 5 MB; whole-province files are larger). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export const importsDir = () => path.join(loadConfig().uploadsDir, 'imports');

export interface Upload {
  fields: Record<string, string>;
  file?: { tmpPath: string; fileName: string; hash: string; size: number };
}

export async function receiveUpload(req: FastifyRequest, dir = importsDir()): Promise<Upload> {
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let file: Upload['file'];
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 30 } })) {
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
