/** A county's split of a patch (POST /patches/:code/split, docs/domain.md §13). */
import { z } from 'zod';
import { SPLIT_CHILDREN_MAX, SPLIT_CHILDREN_MIN } from '../split';
import { msg } from './messages';
import { geometrySchema } from './patches';

export const splitRequestSchema = z.strictObject({
  /** The children's polygons, drawn on the map or uploaded (GeoJSON, WGS 84), in the order of their codes. */
  children: z
    .array(z.strictObject({ geometry: geometrySchema }))
    .min(SPLIT_CHILDREN_MIN, msg('拆分至少需要两个子图斑', 'a split needs at least two child patches', 'split_too_few'))
    .max(SPLIT_CHILDREN_MAX),
  reason: z
    .string()
    .trim()
    .min(2, msg('请填写拆分理由', 'give the reason for the split (at least 2 characters)', 'reason_required'))
    .max(2000),
});
export type SplitRequest = z.infer<typeof splitRequestSchema>;
