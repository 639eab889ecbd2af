import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import type { ActionPlanRecord } from '../../models/action-plan';
import { insertOnce } from '../../models/connection';
import { ACTION_PLAN, type ActionPlanState, snapshotQuery } from '../../workflows/action-plan/definitions';
import { reconcileCases, type ReconcileDeps, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import { projectActions } from './actions';
import { projection } from './activities';
import { actionPlanIndexKeys } from './lists';
import { actionPlanWorkflowInput } from './start';

export interface ActionPlanReconcileDeps {
  models: Models;
  /** The reconciler asks Temporal about workflows; a worker without a client cannot run it. */
  temporal?: Omit<ReconcileDeps, 'models'>;
  logger?: Logger;
}

/** Judge nothing younger than two minutes; look a week back for orphaned workflows (as the complaint's). */
const DEFAULTS = { graceSeconds: 120, lookbackDays: 7 } as const;

function actionPlanTarget(models: Models): ReconcileTarget<ActionPlanState, ReconciledRecord & Pick<ActionPlanRecord, '_id' | 'workflowInput'>> {
  return {
    process: ACTION_PLAN,
    model: models.ActionPlan,
    snapshotQuery,
    project: projection,
    indexKeys: actionPlanIndexKeys,
    startFields: ['workflowInput'],
    workflowInput: (record) => actionPlanWorkflowInput(record),
    // A projection behind its workflow: every action's record forward too (each only if older).
    projectAlso: (snapshot) => projectActions(models, snapshot, snapshot.case.actions.map((a) => a.n)),
  };
}

/** The kernel's reconciler (activities/kernel/reconcile.ts) over the action plans, their actions' records included. */
export function createActionPlanReconcileActivities({ models, temporal, logger }: ActionPlanReconcileDeps) {
  return {
    async reconcileActionPlans({ id, graceSeconds }: { id: string; graceSeconds?: number }) {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the reconciler', 'NotConfigured');
      const report = await reconcileCases({ models, ...temporal }, actionPlanTarget(models), {
        graceMs: (graceSeconds ?? DEFAULTS.graceSeconds) * 1000,
        lookbackDays: DEFAULTS.lookbackDays,
      });
      await insertOnce(models.Reconciliation, { _id: id, ...report });
      const found = Object.values(report.counts).reduce((n, c) => n + (c?.found ?? 0), 0);
      logger?.[found ? 'warn' : 'info']({ reconciliation: id, checked: report.checked, counts: report.counts }, 'reconciled action plans');
      return { id, counts: report.counts };
    },
  };
}

export type ActionPlanReconcileActivities = ReturnType<typeof createActionPlanReconcileActivities>;
