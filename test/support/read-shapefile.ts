/**
 * Reads a zipped shapefile with the import's feature source, in a process of its own, and prints what it
 * read and the process's peak resident memory before and after (KB): for the bounded-memory test.
 *
 *   node --import tsx test/support/read-shapefile.ts FILE.zip [CHUNK]
 */
import { openShapefileZip } from '../../ingest/shapefile-source';

const [file, chunk = '250'] = process.argv.slice(2);
const beforeKb = process.resourceUsage().maxRSS;
const source = await openShapefileZip(file);
let n = 0;
let lastSeq = -1;
let sample: unknown;
for await (const features of source.chunks(0, Number(chunk))) {
  for (const f of features) {
    if (f.seq !== lastSeq + 1) throw new Error(`feature ${f.seq} after ${lastSeq}`);
    lastSeq = f.seq;
    if (f.seq === Math.floor(source.total / 2)) sample = f.properties;
  }
  n += features.length;
}
console.log(JSON.stringify({ total: source.total, read: n, sample, beforeKb, afterKb: process.resourceUsage().maxRSS }));
