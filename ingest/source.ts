/** Opens an uploaded or local file as a feature source: a zip is a shapefile, anything else GeoJSON. */
import { open } from 'node:fs/promises';
import { CrsError } from './crs';
import { openGeoJson } from './geojson-source';
import { openShapefileZip } from './shapefile-source';
import { SourceError, type FeatureSource } from './source-types';

export async function sniffFormat(filePath: string): Promise<'shapefile' | 'geojson'> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? 'shapefile' : 'geojson';
  } finally {
    await handle.close();
  }
}

/** Throws SourceError (with the CRS reason when that is what is refused) for a file that cannot be imported at all. */
export async function openSource(filePath: string): Promise<FeatureSource> {
  try {
    return (await sniffFormat(filePath)) === 'shapefile' ? await openShapefileZip(filePath) : await openGeoJson(filePath);
  } catch (err) {
    if (err instanceof CrsError) throw new SourceError(err.message, err.messageEn);
    throw err;
  }
}

export { SourceError };
