/** Batch import options (API form fields and CLI flags), validated with zod at the edge. */
import { z } from 'zod';
import { DATE_FORMAT, msg } from './messages';
import { AREA_UNITS, DEFAULT_PRESET_ID, presetById, type AttributeMapping } from '../attribute-mapping';
import { BATCH_KINDS, PATCH_CATEGORIES, PATCH_SOURCES } from '../types';

const fieldName = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}_]{1,40}$/u,
    msg('属性名只能包含文字、数字和下划线（1–40位）', 'a field name has 1–40 letters, digits or underscores', 'field_name_format'),
  );

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
  .regex(/^\d{4}-\d{2}-\d{2}$/, DATE_FORMAT)
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    msg('不是有效的日期', 'not a valid date', 'invalid_date'),
  );

export const importOptionsSchema = z
  .object({
    batchCode: z
      .string()
      .trim()
      .regex(
        /^[\p{L}\p{N}_.-]{1,60}$/u,
        msg(
          '批次编号只能包含文字、数字、下划线、点和连字符（1–60位）',
          'a batch code has 1–60 letters, digits, underscores, dots or hyphens',
          'batch_code_format',
        ),
      ),
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
      .refine((id) => !!presetById(id), msg('没有这个字段映射方案', 'no such mapping preset', 'unknown_preset')),
    /** Overrides the preset's unit of the declared area. */
    areaUnit: z.enum(AREA_UNITS).optional(),
    /** Overrides of single fields of the preset. */
    mapping: attributeMappingSchema.partial().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.imagedOn && o.issuedOn && o.issuedOn < o.imagedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuedOn'],
        message: msg('下发日期不能早于成像日期', 'the issue date cannot be before the imaging date', 'issued_before_imaged'),
      });
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
