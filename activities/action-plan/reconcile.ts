import type { Models } from '../../models';
import type { ActionPlanRecord } from '../../models/action-plan';
import { ACTION_PLAN, type ActionPlanState, snapshotQuery } from '../../contracts/action-plan/definitions';
import type { ReconciledRecord, ReconcileTarget } from '../kernel/reconcile';
import { projectActions } from './actions';
import { projection } from './activities';
import { actionPlanIndexKeys } from '../../records/action-plan/lists';
import { actionPlanWorkflowInput } from '../../records/action-plan/start';
import { actionPlanSearch } from '../../records/action-plan/search';

/** The action plans as the kernel's reconciler sees them (activities/kernel/reconcile-activities.ts), their actions' records included. */
export function actionPlanReconcileTarget(models: Models): ReconcileTarget<ActionPlanState, ReconciledRecord & Pick<ActionPlanRecord, '_id' | 'workflowInput'>> {
  return {
    process: ACTION_PLAN,
    model: models.ActionPlan,
    snapshotQuery,
    project: projection,
    indexKeys: actionPlanIndexKeys,
    search: actionPlanSearch,
    startFields: ['workflowInput'],
    workflowInput: (record) => actionPlanWorkflowInput(record),
    // A projection behind its workflow: every action's record forward too (each only if older).
    projectAlso: (snapshot) => projectActions(models, snapshot, snapshot.case.actions.map((a) => a.n)),
  };
}
