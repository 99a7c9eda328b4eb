import { z } from 'zod';
import { msg, REGION_CODE_FORMAT } from './messages';
import { BATCH_KINDS, PATCH_CATEGORIES, PATCH_SOURCES } from '../types';

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const ring = z.array(position).min(4, msg('多边形的环至少需要4个坐标点', 'a polygon ring needs at least 4 positions', 'ring_too_short'));

export const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

export const issuePatchSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(
      /^[0-9A-Za-z_-]{4,40}$/,
      msg('图斑编号只能包含字母、数字、下划线和连字符（4–40位）', 'a patch code has 4–40 letters, digits, underscores or hyphens', 'patch_code_format'),
    ),
  countyCode: z.string().regex(/^\d{6}$/, REGION_CODE_FORMAT),
  category: z.enum(PATCH_CATEGORIES),
  source: z.enum(PATCH_SOURCES).default('ministry'),
  batchCode: z.string().trim().min(1).max(60).optional(),
  batchKind: z.enum(BATCH_KINDS).default('monthly'),
  issuedAt: z.string().datetime({ offset: true }).optional(),
  imagedAt: z.string().datetime({ offset: true }).optional(),
  areaMu: z.number().finite().positive().max(1_000_000),
  farmlandMu: z.number().finite().min(0).max(1_000_000).optional(),
  geometry: geometrySchema.optional(),
  military: z.boolean().default(false),
});
export type IssuePatch = z.infer<typeof issuePatchSchema>;
