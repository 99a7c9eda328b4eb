/** shpjs ships no types: the two parsers this project uses. */
declare module 'shpjs' {
  type Bytes = ArrayBuffer | ArrayBufferView | DataView;
  /** Geometries of a .shp's records (null for null shapes); reprojected only when a .prj is given. */
  export function parseShp(shp: Bytes, prj?: string | false): unknown[];
  /** Rows of a .dbf; `encoding` is a .cpg's content (e.g. "GBK", "UTF-8", "936"). */
  export function parseDbf(dbf: Bytes, encoding?: string): Record<string, unknown>[];
  const getShapefile: (input: unknown, whiteList?: string[]) => Promise<unknown>;
  export default getShapefile;
}
