import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ActionPlanReconcileActivities } from '../../activities/action-plan/reconcile-activities';

const { reconcileActionPlans } = proxyActivities<ActionPlanReconcileActivities>({
  // It reads every open plan once.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One pass of the kernel's reconciler over every action plan record and workflow; a Temporal
 * Schedule runs it every few minutes (worker/schedules.ts). Its report goes to the
 * `reconciliations` collection; the history keeps only the counts.
 */
export async function reconcileActionPlansWorkflow(opts: { graceSeconds?: number } = {}) {
  const { workflowId, runId } = workflowInfo();
  return reconcileActionPlans({ id: `${workflowId}:${runId}`, graceSeconds: opts.graceSeconds });
}
