import { ActivityDeps, createComplaintActivities } from './complaint/activities';
import { createReconcileActivities, ReconcileActivityDeps } from './complaint/reconcile-activities';
import { caseActivityRegistry } from './kernel/case-activities';
import { createReviewActivities } from './review/activities';
import { createReviewReconcileActivities } from './review/reconcile-activities';
import { REVIEW } from '../workflows/review/definitions';
import { createVisitActivities } from './visit/activities';
import { createVisitReconcileActivities } from './visit/reconcile-activities';
import { VISIT } from '../workflows/visit/definitions';
import { actionPlanActivityRegistry } from './action-plan/activities';
import { createCqrgPackActivities } from './action-plan/pack';
import { createActionPlanReconcileActivities } from './action-plan/reconcile-activities';

export type WorkerActivityDeps = ActivityDeps & ReconcileActivityDeps;
export type { ActivityDeps };

/** Every activity the worker registers, built over its dependencies. */
export function createActivities(deps: WorkerActivityDeps) {
  return {
    ...createComplaintActivities(deps),
    ...createReconcileActivities(deps),
    ...caseActivityRegistry(REVIEW, createReviewActivities(deps)),
    ...createReviewReconcileActivities(deps),
    ...caseActivityRegistry(VISIT, createVisitActivities(deps)),
    ...createVisitReconcileActivities(deps),
    ...actionPlanActivityRegistry(deps), ...createCqrgPackActivities(deps), ...createActionPlanReconcileActivities(deps),
  };
}
