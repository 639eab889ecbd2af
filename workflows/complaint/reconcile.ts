import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconcileActivities } from '../../activities/complaint/reconcile-activities';
import type { ReconcileSummary } from './definitions';

const { reconcileComplaints } = proxyActivities<ReconcileActivities>({
  // It reads every open case once: minutes at a hundred thousand records.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One pass of the reconciler over every complaint record and workflow; a Temporal Schedule runs
 * it every few minutes (worker/schedules.ts) and an administrator can run it at once. Its report
 * goes to the `reconciliations` collection; the history keeps only the counts.
 */
export async function reconcileComplaintsWorkflow(opts: { graceSeconds?: number } = {}): Promise<ReconcileSummary> {
  const { workflowId, runId } = workflowInfo();
  return reconcileComplaints({ id: `${workflowId}:${runId}`, graceSeconds: opts.graceSeconds });
}
