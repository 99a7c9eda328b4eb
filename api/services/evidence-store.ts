/**
 * Evidence files on disk: received into a temporary file while hashed, then kept under
 * `<uploadsDir>/<first two hex digits>/<sha256>`, so the same content is stored once whoever uploads it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ReceivedFile {
  tmpPath: string;
  sha256: string;
  size: number;
  /** The first bytes, for telling the format. */
  head: Buffer;
}

const HEAD_BYTES = 64;

export const evidencePath = (uploadsDir: string, sha256: string) => path.join(uploadsDir, sha256.slice(0, 2), sha256);

/** The file is larger than its kind allows (known from its first bytes): receiving stopped there. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file exceeds ${maxBytes} bytes`);
  }
}

/**
 * `limitFor`: the most bytes a file starting with these bytes may have (a photo's limit is lower than a
 * video's): past it receiving stops and nothing is kept, rather than writing the rest to disk first.
 */
export async function receiveFile(stream: Readable, uploadsDir: string, limitFor?: (head: Buffer) => number | undefined): Promise<ReceivedFile> {
  const tmpDir = path.join(uploadsDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmpPath = path.join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let limit: number | undefined;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < HEAD_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        if (head.length >= HEAD_BYTES || size >= HEAD_BYTES) limit = limitFor?.(head);
      }
      if (limit !== undefined && size > limit) return done(new FileTooLargeError(limit));
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(tmpPath));
  } catch (err) {
    await rm(tmpPath, { force: true });
    throw err;
  }
  return { tmpPath, sha256: hash.digest('hex'), size, head };
}

/** Moves a received file to its content address; a file already there is the same content, kept as is. */
export async function keepFile(uploadsDir: string, file: ReceivedFile): Promise<{ path: string; alreadyStored: boolean }> {
  const target = evidencePath(uploadsDir, file.sha256);
  const exists = await access(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    await rm(file.tmpPath, { force: true });
    return { path: target, alreadyStored: true };
  }
  await mkdir(path.dirname(target), { recursive: true });
  // rename is atomic: a concurrent upload of the same content replaces it with identical bytes.
  await rename(file.tmpPath, target);
  return { path: target, alreadyStored: false };
}

export const discard = (file: ReceivedFile | undefined) => (file ? rm(file.tmpPath, { force: true }) : Promise.resolve());
