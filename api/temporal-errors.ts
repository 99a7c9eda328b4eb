/** Maps what Temporal answers to an Update into the API's errors. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isErrorCode } from '../domain/errors';
import type { RuleViolation } from '../domain/legality';
import { ApiError } from './errors';

export function fromUpdateError(err: unknown): ApiError | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
      const details = (cause.details?.[0] ?? undefined) as unknown;
      if (cause.type === 'RuleViolation' && Array.isArray(details)) {
        const issues = (details as RuleViolation[]).map((v) => ({ path: v.path, message: v.message, rule: v.rule }));
        return new ApiError('RuleViolation', cause.message, `the determination breaks a rule of this region: ${issues.map((i) => i.rule).join(', ')}`, issues);
      }
      if (cause.type === 'InvalidPayload' && Array.isArray(details)) {
        // The workflow's own checks of the payload: each names its field.
        const issues = (details as Array<{ path: string; message: string; rule?: string }>).map((v) => ({ path: v.path, message: v.message, rule: v.rule }));
        return new ApiError('InvalidPayload', cause.message, `invalid payload: ${issues.map((i) => i.path).join(', ')}`, issues);
      }
      const en = details && typeof details === 'object' && 'reasonEn' in details ? String((details as { reasonEn: string }).reasonEn) : cause.message;
      return new ApiError(cause.type, cause.message, en);
    }
    return new ApiError('Conflict', `办理失败：${cause?.message ?? err.message}`, `the action failed: ${cause?.message ?? err.message}`);
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|not found/i.test(err.message))) {
    return new ApiError('WorkflowClosed', '该图斑的流程已结束', 'the process of this patch has ended');
  }
  return undefined;
}
