// Every workflow type the worker registers; the bundle is built from this file.
export { complaintWorkflow } from './complaint/workflow';
export { reconcileComplaintsWorkflow } from './complaint/reconcile';
export { reviewWorkflow } from './review/workflow';
export { reconcileReviewsWorkflow } from './review/reconcile';
export { visitWorkflow } from './visit/workflow';
export { reconcileVisitsWorkflow } from './visit/reconcile';
export { actionPlanWorkflow } from './action-plan/workflow';
export { cqrgPackWorkflow } from './action-plan/pack';
export { reconcileActionPlansWorkflow } from './action-plan/reconcile';
