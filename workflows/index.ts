// Every workflow type the worker registers; the bundle is built from this file.
export { complaintWorkflow } from './complaint/workflow';
export { reviewWorkflow } from './review/workflow';
export { visitWorkflow } from './visit/workflow';
export { actionPlanWorkflow } from './action-plan/workflow';
export { cqrgPackWorkflow } from './action-plan/pack';
export { cqrgMeetingWorkflow } from './cqrg-meeting/workflow';
export { reconcileCasesWorkflow } from './kernel/reconcile';
// Retired reconciler types, each handing over to reconcileCasesWorkflow: kept for their histories
// and for any Schedule still naming them.
export { reconcileComplaintsWorkflow } from './complaint/reconcile';
export { reconcileReviewsWorkflow } from './review/reconcile';
export { reconcileVisitsWorkflow } from './visit/reconcile';
export { reconcileActionPlansWorkflow } from './action-plan/reconcile';
