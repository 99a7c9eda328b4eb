/** Imagery (前时相/后时相) and a region's imagery services: the API's shapes. */
import { z } from 'zod';
import { msg } from './messages';

export const imageryPhaseSchema = z.enum(['before', 'after']);

/** The placeholders of a tile's address: XYZ's {z}/{x}/{y}, or WMTS's {TileMatrix}/{TileCol}/{TileRow}. */
export const XYZ_PLACEHOLDERS = ['{z}', '{x}', '{y}'] as const;
export const WMTS_PLACEHOLDERS = ['{TileMatrix}', '{TileCol}', '{TileRow}'] as const;
export const hasTilePlaceholders = (u: string) => XYZ_PLACEHOLDERS.every((p) => u.includes(p)) || WMTS_PLACEHOLDERS.every((p) => u.includes(p));

/** A WMTS/XYZ imagery service of a region (e.g. 天地图 with its key), drawn under its attribution. */
export const imageryServiceSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    /** An XYZ template, or a WMTS KVP request with {z}/{x}/{y} or {TileMatrix}/{TileCol}/{TileRow}; {s}: subdomains; {tk}: the key. */
    url: z
      .string()
      .trim()
      .max(1000)
      .url()
      .refine(
        (u) => /^https?:/.test(u) && hasTilePlaceholders(u),
        msg(
          '服务地址须为 http(s) 地址，含 {z}、{x}、{y}（或 WMTS 的 {TileMatrix}、{TileCol}、{TileRow}）',
          'the service URL must be http(s) with {z}, {x} and {y} (or WMTS {TileMatrix}, {TileCol} and {TileRow})',
          'invalid_service_url',
        ),
      ),
    attribution: z.string().trim().min(1).max(200),
    subdomains: z.string().trim().max(20).optional(),
    /** Which side it is drawn on: the after side (current imagery) by default. */
    phase: z.enum(['before', 'after', 'both']).default('after'),
    /** 天地图's key (tk), put where the address has {tk}. */
    key: z
      .string()
      .trim()
      .max(64)
      .regex(/^[0-9A-Za-z]*$/, msg('密钥只能包含字母和数字', 'the key has letters and digits only', 'invalid_service_key'))
      .optional(),
  })
  .refine((s) => !s.url.includes('{tk}') || Boolean(s.key), {
    message: msg('服务地址含 {tk}，请填写天地图密钥', 'the URL has {tk}: enter the Tianditu key', 'service_key_required'),
    path: ['key'],
  });
export type ImageryService = z.infer<typeof imageryServiceSchema>;

export const imageryServicesBodySchema = z.object({ services: z.array(imageryServiceSchema).max(10) });

export const imageryReferenceSchema = z.object({
  phase: imageryPhaseSchema,
  /** A GeoTIFF, PMTiles or MBTiles file under the server's imagery folder (absolute, or relative to it). */
  path: z.string().trim().min(1).max(1000),
  patchCode: z.string().trim().min(1).max(60).optional(),
  imagedAt: z.string().datetime({ offset: true }).optional(),
  source: z.string().trim().max(100).optional(),
});
