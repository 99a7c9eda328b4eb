/** Imagery (前时相/后时相) and a region's imagery services: the API's shapes. */
import { z } from 'zod';
import { msg } from './messages';

export const imageryPhaseSchema = z.enum(['before', 'after']);

/** A WMTS/XYZ imagery service of a region (e.g. 天地图 with its key), drawn under its attribution. */
export const imageryServiceSchema = z.object({
  name: z.string().trim().min(1).max(60),
  /** An XYZ template, or a WMTS KVP request with {z}/{x}/{y} for TILEMATRIX/TILECOL/TILEROW; {s}: subdomains. */
  url: z
    .string()
    .trim()
    .max(1000)
    .url()
    .refine(
      (u) => /^https?:/.test(u) && ['{z}', '{x}', '{y}'].every((p) => u.includes(p)),
      msg('服务地址须为 http(s) 地址，含 {z}、{x}、{y}', 'the service URL must be http(s) with {z}, {x} and {y}', 'invalid_service_url'),
    ),
  attribution: z.string().trim().min(1).max(200),
  subdomains: z.string().trim().max(20).optional(),
  /** Which side it is drawn on: the after side (current imagery) by default. */
  phase: z.enum(['before', 'after', 'both']).default('after'),
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
