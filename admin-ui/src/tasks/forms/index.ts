/** One form per task type. */
import type { ComponentType } from 'react';
import type { TaskType } from '../../../../domain/types';
import { CorrectionForm } from './CorrectionForm';
import { DirectDeterminationForm } from './DirectDeterminationForm';
import { ExtensionDecisionForm } from './ExtensionDecisionForm';
import { MilitaryReportForm } from './MilitaryReportForm';
import { OnsiteCheckForm } from './OnsiteCheckForm';
import { ReviewForm } from './ReviewForm';
import type { TaskFormProps } from './types';
import { VerificationForm } from './VerificationForm';

export const TASK_FORMS: Partial<Record<TaskType, ComponentType<TaskFormProps>>> = {
  verification: VerificationForm,
  correction: CorrectionForm,
  review: ReviewForm,
  direct_determination: DirectDeterminationForm,
  onsite_check: OnsiteCheckForm,
  extension_decision: ExtensionDecisionForm,
  military_report: MilitaryReportForm,
};
