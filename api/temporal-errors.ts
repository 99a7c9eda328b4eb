/** Maps what Temporal answers to an Update into the API's errors. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isErrorCode } from '../domain/errors';
import { ApiError, type FieldIssue } from './errors';

/** An issue the workflow reports (domain/legality.ts RuleViolation, domain/case-checks.ts PayloadIssue, the engine's). */
interface WorkflowIssue {
  path: string;
  message: string;
  messageEn?: string;
  rule?: string;
  params?: Record<string, unknown>;
}

/** English for the task engine's rules, whose issues carry none (the date is the one the message names). */
const ENGINE_RULES_EN: Record<string, (v: WorkflowIssue) => string> = {
  extension_not_later: (v) => {
    const date = /\d{4}-\d{2}-\d{2}/.exec(v.message)?.[0];
    return `the date must be later than the current due date${date ? ` ${date}` : ''}`;
  },
  extension_in_past: () => 'the new due date cannot be before today',
};

const fromWorkflow = (v: WorkflowIssue): FieldIssue => {
  const messageEn = v.messageEn ?? (v.rule && ENGINE_RULES_EN[v.rule] ? ENGINE_RULES_EN[v.rule](v) : undefined);
  return {
    path: v.path,
    message: v.message,
    ...(messageEn ? { messageEn } : {}),
    ...(v.rule ? { rule: v.rule, code: v.rule } : {}),
    ...(v.params ? { params: v.params } : {}),
  };
};

const englishList = (issues: FieldIssue[]) => issues.map((i) => `${i.path}: ${i.messageEn ?? i.rule ?? 'invalid'}`).join('; ');

export function fromUpdateError(err: unknown): ApiError | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
      const details = (cause.details?.[0] ?? undefined) as unknown;
      if (cause.type === 'RuleViolation' && Array.isArray(details)) {
        const issues = (details as WorkflowIssue[]).map(fromWorkflow);
        return new ApiError('RuleViolation', cause.message, `a rule of this region is broken: ${englishList(issues)}`, issues);
      }
      if (cause.type === 'InvalidPayload' && Array.isArray(details)) {
        // The workflow's own checks of the payload: each names its field.
        const issues = (details as WorkflowIssue[]).map(fromWorkflow);
        return new ApiError('InvalidPayload', cause.message, `invalid payload: ${englishList(issues)}`, issues);
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
