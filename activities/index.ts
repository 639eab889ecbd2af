import { ActivityDeps, complaintActivityRegistry } from './complaint/activities';
import { complaintReconcileTarget } from './complaint/reconcile';
import { caseActivityRegistry } from './kernel/case-activities';
import { reconcileActivities, type ReconcileActivityDeps } from './kernel/reconcile-activities';
import { createReviewActivities } from './review/activities';
import { reviewReconcileTarget } from './review/reconcile';
import { REVIEW } from '../contracts/review/definitions';
import { createVisitActivities } from './visit/activities';
import { visitReconcileTarget } from './visit/reconcile';
import { VISIT } from '../contracts/visit/definitions';
import { actionPlanActivityRegistry } from './action-plan/activities';
import { createCqrgPackActivities } from './action-plan/pack';
import { actionPlanReconcileTarget } from './action-plan/reconcile';
import { createCqrgMeetingActivities } from './cqrg-meeting/activities';
import { cqrgMeetingReconcileTarget } from './cqrg-meeting/reconcile';
import { CQRG_MEETING } from '../contracts/cqrg-meeting/definitions';

export type WorkerActivityDeps = ActivityDeps & ReconcileActivityDeps;
export type { ActivityDeps };

/** Every activity the worker registers, built over its dependencies. */
export function createActivities(deps: WorkerActivityDeps) {
  return {
    ...complaintActivityRegistry(deps),
    ...reconcileActivities(deps, complaintReconcileTarget),
    ...caseActivityRegistry(REVIEW, createReviewActivities(deps)),
    ...reconcileActivities(deps, reviewReconcileTarget),
    ...caseActivityRegistry(VISIT, createVisitActivities(deps)),
    ...reconcileActivities(deps, visitReconcileTarget),
    ...actionPlanActivityRegistry(deps), ...createCqrgPackActivities(deps), ...reconcileActivities(deps, actionPlanReconcileTarget),
    ...caseActivityRegistry(CQRG_MEETING, createCqrgMeetingActivities(deps)),
    ...reconcileActivities(deps, cqrgMeetingReconcileTarget),
  };
}
