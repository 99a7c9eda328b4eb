/** What the readers of GeoJSON and zipped shapefiles hand to the importer. */
import type { Crs } from './crs';

/** A finding about one feature: a rule name and its particulars (rendered in either language by messages.ts). */
export interface Issue {
  rule: string;
  params?: Record<string, unknown>;
}

/** A feature as read, coordinates still in the file's coordinate system. */
export interface RawFeature {
  /** The feature's index in the file (0-based); stable across reads, so a resumed import continues by it. */
  seq: number;
  geometry: unknown;
  properties: Record<string, unknown>;
  /** Set when the feature could not be read at all. */
  error?: Issue;
}

export interface FeatureSource {
  format: 'geojson' | 'shapefile';
  crs: Crs;
  total: number;
  /** Features from `from` on, in file order, at most `size` at a time (fewer when their polygons are large). Only one chunk is held at once. */
  chunks(from: number, size: number): AsyncGenerator<RawFeature[]>;
}

/** The whole file is refused (format, structure, coordinate system): nothing is imported. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
  }
}
