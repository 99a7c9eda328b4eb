/** One form per task type: every type has one. */
import type { ComponentType } from 'react';
import type { TaskType } from '../../../../domain/types';
import { AcceptanceCityForm, AcceptanceCountyForm, AcceptanceProvinceForm } from './AcceptanceForm';
import { CaseDecisionForm } from './CaseDecisionForm';
import { CaseRegisterForm } from './CaseRegisterForm';
import { CorrectionForm } from './CorrectionForm';
import { DirectDeterminationForm } from './DirectDeterminationForm';
import { ExtensionDecisionForm } from './ExtensionDecisionForm';
import { MilitaryReportForm } from './MilitaryReportForm';
import { MergeReviewForm } from './MergeReviewForm';
import { OnsiteCheckForm } from './OnsiteCheckForm';
import { RecheckForm } from './RecheckForm';
import { RectificationForm } from './RectificationForm';
import { RectificationPlanForm } from './RectificationPlanForm';
import { ReviewForm } from './ReviewForm';
import { SplitReviewForm } from './SplitReviewForm';
import { StopOrderForm } from './StopOrderForm';
import { TransferFeedbackForm } from './TransferFeedbackForm';
import type { TaskFormProps } from './types';
import { VerificationForm } from './VerificationForm';

export const TASK_FORMS: Record<TaskType, ComponentType<TaskFormProps>> = {
  verification: VerificationForm,
  correction: CorrectionForm,
  review: ReviewForm,
  direct_determination: DirectDeterminationForm,
  onsite_check: OnsiteCheckForm,
  extension_decision: ExtensionDecisionForm,
  military_report: MilitaryReportForm,
  case_register: CaseRegisterForm,
  stop_order: StopOrderForm,
  case_decision: CaseDecisionForm,
  transfer_feedback: TransferFeedbackForm,
  rectification_plan: RectificationPlanForm,
  rectification: RectificationForm,
  acceptance_county: AcceptanceCountyForm,
  acceptance_city: AcceptanceCityForm,
  acceptance_province: AcceptanceProvinceForm,
  recheck: RecheckForm,
  split_review: SplitReviewForm,
  merge_review: MergeReviewForm,
};
