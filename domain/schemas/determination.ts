/** zod schemas of the verification form (API and activity boundary only; never imported by workflows). */
import { z } from 'zod';
import { DATE_FORMAT, SHA256_FORMAT } from './messages';
import { APPROVAL_TYPES, LEGALITY_SUBTYPES } from '../legality';
import { MINERAL_FINDINGS } from '../mineral';
import { FARMLAND_FLAGS } from '../policy';
import { LEGALITIES } from '../types';

const allSubtypes = [...new Set(Object.values(LEGALITY_SUBTYPES).flat())] as [string, ...string[]];

export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, DATE_FORMAT);
const mu = z.number().finite().min(0).max(1_000_000);

export const approvalSchema = z.object({
  type: z.enum(APPROVAL_TYPES),
  documentNumber: z.string().trim().min(1).max(100),
  date: localDate,
});

/**
 * Every area is required: the review coverage (001 三(三): the city reviews every farmland and red-line patch),
 * the on-site thresholds (003: 20 mu farmland, 5 mu basic farmland or red line), the farmland answers and the
 * quota freeze all read them, so a left-out area may not become a silent 0 (0 is written as 0).
 */
export const areasSchema = z.object({
  totalMu: mu.describe('total area (mu)'),
  farmlandMu: mu.describe('of which farmland (mu); 0 when none'),
  basicFarmlandMu: mu.describe('of which permanent basic farmland (mu); 0 when none'),
  redLineMu: mu.describe('of which within the ecological red line (mu); 0 when none'),
});

export const evidenceSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, SHA256_FORMAT),
  kind: z.enum(['photo', 'video']),
  name: z.string().max(255).optional(),
  gps: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  capturedAt: z.string().datetime({ offset: true }).optional(),
  direction: z.number().min(0).max(360).optional().describe('EXIF GPSImgDirection: degrees clockwise from north'),
});

/** 用矿情况 (一图两用、地矿同核, 000 二(一); 004 三(二)): its consistency is domain/mineral.ts's checkMineral. */
export const mineralSchema = z.object({
  present: z.boolean().describe('mining (including underground workings) found on the patch'),
  licensed: z.boolean().optional().describe('whether the mining holds a mining licence; required where there is mining'),
  licenseNumber: z.string().trim().max(100).optional(),
  finding: z.enum(MINERAL_FINDINGS).describe('illegal_mining (mining without a licence), beyond_boundary (a licence holder mining beyond its area), none'),
  notes: z.string().max(2000).optional(),
});

export const determinationSchema = z.object({
  legality: z.enum(LEGALITIES),
  subType: z.enum(allSubtypes),
  approvals: z.array(approvalSchema).max(20).default([]),
  areas: areasSchema,
  farmlandFlags: z.partialRecord(z.enum(FARMLAND_FLAGS), z.boolean()).optional(),
  evidence: z.array(evidenceSchema).max(50).default([]),
  notes: z.string().max(2000).optional(),
  majorInfrastructure: z.boolean().optional(),
  newStructures: z.boolean().optional(),
  mineral: mineralSchema.optional().describe('the mineral part (required for mineral patches)'),
  areasOverrideReason: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe("why the areas differ from the patch's measurement on the land layers; required when they do (docs/domain.md §13)"),
});
