/**
 * A GeoJSON file as a feature source: a first pass counts the features, finds the coordinate system and
 * checks the structure (so a broken file is refused before anything is imported); reading streams the
 * file again and parses only the features asked for, a chunk at a time.
 */
import { createReadStream } from 'node:fs';
import { crsFromGeoJson, type Crs } from './crs';
import { GeoJsonSplitter, GeoJsonSyntaxError } from './geojson-splitter';
import { importLimits, maxFeatureChars, type ImportLimits } from './limits';
import { SourceError, type FeatureSource, type RawFeature } from './source-types';

/** The feature text parsed at a time. */
export const MAX_CHUNK_CHARS = 16 * 1024 * 1024;

async function* splitFile(filePath: string, maxFeatureChars: number) {
  const splitter = new GeoJsonSplitter(maxFeatureChars);
  const stream = createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) yield* splitter.push(chunk as string);
  splitter.end();
}

function toRaw(seq: number, text: string): RawFeature {
  try {
    const value = JSON.parse(text) as { type?: string; geometry?: unknown; properties?: Record<string, unknown> | null; coordinates?: unknown };
    if (value?.type === 'Feature') return { seq, geometry: value.geometry ?? null, properties: value.properties ?? {} };
    // A bare geometry: no attributes, so no patch code; validation says so.
    if (value && typeof value.type === 'string' && 'coordinates' in value) return { seq, geometry: value, properties: {} };
    return { seq, geometry: null, properties: {}, error: { rule: 'not_a_feature', params: { type: String(value?.type) } } };
  } catch (err) {
    return { seq, geometry: null, properties: {}, error: { rule: 'feature_json_invalid', params: { detail: (err as Error).message } } };
  }
}

export async function openGeoJson(filePath: string, limits: ImportLimits = importLimits()): Promise<FeatureSource> {
  let total = 0;
  let crsMember: unknown;
  const maxChars = maxFeatureChars(limits.maxVertices);
  try {
    for await (const event of splitFile(filePath, maxChars)) {
      if (event.kind === 'feature') {
        if (++total > limits.maxFeatures) {
          throw new SourceError(
            `文件中的要素多于上限 ${limits.maxFeatures} 个，请分批导入`,
            `the file holds more than ${limits.maxFeatures} features, the limit; split it into several imports`,
          );
        }
      } else if (total === 0 && event.key === 'crs' && crsMember === undefined) crsMember = JSON.parse(event.text);
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    if (err instanceof GeoJsonSyntaxError) throw new SourceError(err.message, `malformed GeoJSON: ${err.message}`);
    if (err instanceof SyntaxError)
      throw new SourceError(`GeoJSON 的 crs 不是合法的 JSON：${err.message}`, `the GeoJSON crs member is not valid JSON: ${err.message}`);
    throw err;
  }
  if (total === 0) throw new SourceError('文件中没有要素（features 为空或不是 GeoJSON）', 'the file holds no features (empty features, or not GeoJSON)');
  const crs: Crs = crsFromGeoJson(crsMember);
  return {
    format: 'geojson',
    crs,
    total,
    async *chunks(from, size) {
      let seq = 0;
      let chars = 0;
      let chunk: RawFeature[] = [];
      for await (const event of splitFile(filePath, maxChars)) {
        if (event.kind !== 'feature') continue;
        if (seq >= from) {
          chunk.push(
            event.oversized
              ? { seq, geometry: null, properties: {}, error: { rule: 'feature_too_large', params: { chars: event.chars, max: maxChars } } }
              : toRaw(seq, event.text),
          );
          // `size` features at most, and no more text than MAX_CHUNK_CHARS: large polygons make smaller chunks.
          chars += event.text.length;
          if (chunk.length >= size || chars >= MAX_CHUNK_CHARS) {
            yield chunk;
            chunk = [];
            chars = 0;
          }
        }
        seq++;
      }
      if (chunk.length) yield chunk;
    },
  };
}
