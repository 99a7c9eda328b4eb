/** Batch import options (API form fields and CLI flags), validated with zod at the edge. */
import { z } from 'zod';
import { AREA_UNITS, DEFAULT_PRESET_ID, presetById, type AttributeMapping } from '../attribute-mapping';
import { BATCH_KINDS, PATCH_CATEGORIES, PATCH_SOURCES } from '../types';

const fieldName = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_]{1,40}$/u, '属性名只能包含文字、数字和下划线（1–40位）');

export const attributeMappingSchema = z.object({
  code: fieldName,
  countyCode: fieldName,
  category: fieldName.optional(),
  categoryValues: z.record(z.string().min(1).max(40), z.enum(PATCH_CATEGORIES)).optional(),
  defaultCategory: z.enum(PATCH_CATEGORIES).optional(),
  area: fieldName.optional(),
  areaUnit: z.enum(AREA_UNITS),
  farmlandArea: fieldName.optional(),
  imagedBefore: fieldName.optional(),
  imagedAfter: fieldName.optional(),
  centreX: fieldName.optional(),
  centreY: fieldName.optional(),
  military: fieldName.optional(),
});

const calendarDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不是有效的日期');

export const importOptionsSchema = z
  .object({
    batchCode: z
      .string()
      .trim()
      .regex(/^[\p{L}\p{N}_.-]{1,60}$/u, '批次编号只能包含文字、数字、下划线、点和连字符（1–60位）'),
    batchName: z.string().trim().min(1).max(100).optional(),
    source: z.enum(PATCH_SOURCES),
    kind: z.enum(BATCH_KINDS).default('monthly'),
    /** 成像日期 (T); when absent, the latest after-image date (HSX) of the file's features. */
    imagedOn: calendarDate.optional(),
    /** 下发日期; today (Asia/Shanghai) when absent. */
    issuedOn: calendarDate.optional(),
    preset: z
      .string()
      .trim()
      .default(DEFAULT_PRESET_ID)
      .refine((id) => !!presetById(id), '没有这个字段映射方案'),
    /** Overrides the preset's unit of the declared area. */
    areaUnit: z.enum(AREA_UNITS).optional(),
    /** Overrides of single fields of the preset. */
    mapping: attributeMappingSchema.partial().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.imagedOn && o.issuedOn && o.issuedOn < o.imagedOn) {
      ctx.addIssue({ code: 'custom', path: ['issuedOn'], message: '下发日期不能早于成像日期' });
    }
  });
export type ImportOptions = z.infer<typeof importOptionsSchema>;
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;

/** The preset with the options' overrides applied. */
export function resolveMapping(o: Pick<ImportOptions, 'preset' | 'areaUnit' | 'mapping'>): AttributeMapping {
  const preset = presetById(o.preset);
  if (!preset) throw new Error(`unknown mapping preset ${o.preset}`);
  const overrides = Object.fromEntries(Object.entries(o.mapping ?? {}).filter(([, v]) => v !== undefined));
  return { ...preset.mapping, ...(o.areaUnit ? { areaUnit: o.areaUnit } : {}), ...overrides };
}
