export { patchWorkflow } from './patch';
export { noopWorkflow } from './noop';
