export { patchWorkflow } from './patch';
export { policyBroadcastWorkflow } from './policy-broadcast';
export { noopWorkflow } from './noop';
