export { patchWorkflow } from './patch';
export { caseWorkflow } from './case';
export { policyBroadcastWorkflow } from './policy-broadcast';
export { noopWorkflow } from './noop';
