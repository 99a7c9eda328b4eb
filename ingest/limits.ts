/**
 * What one import may cost, so that no file — however it was made — takes the API down: the unpacked size
 * of a zipped shapefile and its record count (checked against the zip's central directory and the
 * .shx/.dbf headers before anything large is read, and counted again while streaming, so a lying header
 * gets no further), the vertices of one feature, the text of one GeoJSON feature, and the time one
 * feature's geometry check may take (off the API's event loop, see geometry-pool.ts). Read from the
 * environment at each use, so a deployment (or a test) can tighten or loosen them without a restart of
 * the code that uses them.
 */

export interface ImportLimits {
  /** Features (records) in one file. IMPORT_MAX_FEATURES. */
  maxFeatures: number;
  /** Unpacked bytes of a zipped shapefile's members together. IMPORT_MAX_UNPACKED_BYTES. */
  maxUnpackedBytes: number;
  /** Vertices of one feature (all rings). IMPORT_MAX_VERTICES. */
  maxVertices: number;
  /** Time one feature's validity check may take (ms). IMPORT_VALIDATION_TIMEOUT_MS. */
  validationTimeoutMs: number;
  /** Threads checking geometries. IMPORT_VALIDATION_THREADS. */
  validationThreads: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxFeatures: 200_000,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxVertices: 10_000,
  validationTimeoutMs: 10_000,
  validationThreads: 1,
};

const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

export function importLimits(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  return {
    maxFeatures: positive(env.IMPORT_MAX_FEATURES, DEFAULT_LIMITS.maxFeatures),
    maxUnpackedBytes: positive(env.IMPORT_MAX_UNPACKED_BYTES, DEFAULT_LIMITS.maxUnpackedBytes),
    maxVertices: positive(env.IMPORT_MAX_VERTICES, DEFAULT_LIMITS.maxVertices),
    validationTimeoutMs: positive(env.IMPORT_VALIDATION_TIMEOUT_MS, DEFAULT_LIMITS.validationTimeoutMs),
    validationThreads: positive(env.IMPORT_VALIDATION_THREADS, DEFAULT_LIMITS.validationThreads),
  };
}

/** Bytes of one shapefile record with `vertices` points at most (PolygonZM, one part per 4 points, with margin). */
export const maxRecordBytes = (vertices: number) => 8 + 44 + 4 * vertices + 32 * vertices + 64;

/** Characters of one GeoJSON feature's text: generous per vertex (Z, long decimals, attributes), never below 8 MiB. */
export const maxFeatureChars = (vertices: number) => Math.max(8 * 1024 * 1024, vertices * 200);

export const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
