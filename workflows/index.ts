export { patchWorkflow } from './patch/workflow';
export { caseWorkflow } from './case/workflow';
export { policyBroadcastWorkflow } from './policy-broadcast';
export { noopWorkflow } from './noop';
