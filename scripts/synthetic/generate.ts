/**
 * Writes a synthetic batch for demos, tests and benchmarks:
 *
 *   npm run generate:batch -- --n 10000 --out batch.geojson [--seed 1] [--imaged 2026-03-01]
 *                             [--counties 640104,640105] [--zip]   (--zip: a zipped shapefile, CGCS2000)
 *                             [--imagery DIR]   (before/after GeoTIFF chips per patch, a change inside it)
 *                             [--tile-archives DIR] [--tile-format pmtiles|mbtiles]   (the same as tile archives)
 */
import { parseArgs } from 'node:util';
import { syntheticFeatures, writeGeoJson, writeSyntheticShapefile } from './batch';
import { writeChipPair } from './imagery';
import { writeTileArchivePair } from './tile-archives';
import { PRJ } from './shapefile-writer';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    out: { type: 'string' },
    seed: { type: 'string', default: '20260301' },
    imaged: { type: 'string', default: '2026-03-01' },
    counties: { type: 'string' },
    zip: { type: 'boolean', default: false },
    imagery: { type: 'string' },
    'tile-archives': { type: 'string' },
    'tile-format': { type: 'string', default: 'pmtiles' },
  },
});
if (!values.out) {
  console.error('usage: npm run generate:batch -- --n 10000 --out batch.geojson [--zip] [--seed N] [--imaged YYYY-MM-DD] [--counties a,b]');
  process.exit(2);
}
const options = { n: Number(values.n), seed: Number(values.seed), imagedOn: values.imaged, counties: values.counties?.split(',') };
if (values.zip) await writeSyntheticShapefile(values.out, options, PRJ.cgcs2000);
else await writeGeoJson(values.out, syntheticFeatures(options), { crs: 'urn:ogc:def:crs:EPSG::4490' });
console.log(`wrote ${values.n} features to ${values.out}`);
if (values.imagery) {
  // <JCBH>-before.tif and <JCBH>-after.tif for each patch: upload them with POST /api/batches/:code/imagery.
  let n = 0;
  for (const f of syntheticFeatures(options)) {
    await writeChipPair(values.imagery, String(f.properties.JCBH), f.geometry);
    n++;
  }
  console.log(`wrote before/after imagery for ${n} patches to ${values.imagery}`);
}
const archivesDir = values['tile-archives'];
if (archivesDir) {
  // <JCBH>-before.pmtiles and <JCBH>-after.pmtiles (or .mbtiles): PNG tiles at zooms 14–18 around each patch.
  const format = values['tile-format'] === 'mbtiles' ? 'mbtiles' : 'pmtiles';
  let n = 0;
  for (const f of syntheticFeatures(options)) {
    await writeTileArchivePair(archivesDir, String(f.properties.JCBH), f.geometry, format);
    n++;
  }
  console.log(`wrote before/after ${format} archives for ${n} patches to ${archivesDir}`);
}
