/** A county's merge of adjacent patches (POST /patches/:code/merge, docs/domain.md §13). */
import { z } from 'zod';
import { MERGE_SOURCES_MAX } from '../merge';
import { LEGALITIES } from '../types';
import { msg } from './messages';

export const mergeRequestSchema = z.strictObject({
  /** The neighbours merged with the patch of the path, by code; the patch of the path comes first. */
  with: z
    .array(z.string().min(1).max(60))
    .min(1, msg('请选择至少一个相邻图斑', 'choose at least one neighbouring patch', 'merge_too_few'))
    .max(MERGE_SOURCES_MAX - 1),
  /** One situation: the legality class the county states for the merged patch. */
  legality: z.enum(LEGALITIES),
  reason: z
    .string()
    .trim()
    .min(2, msg('请填写合并理由', 'give the reason for the merge (at least 2 characters)', 'reason_required'))
    .max(2000),
});
export type MergeRequest = z.infer<typeof mergeRequestSchema>;
