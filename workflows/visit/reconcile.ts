import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { VisitReconcileActivities } from '../../activities/visit/reconcile-activities';
import type { VisitReconcileSummary } from './definitions';

const { reconcileVisits } = proxyActivities<VisitReconcileActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** One pass of the reconciler over every visit record and workflow, run by a Schedule (worker/schedules.ts). */
export async function reconcileVisitsWorkflow(opts: { graceSeconds?: number } = {}): Promise<VisitReconcileSummary> {
  const { workflowId, runId } = workflowInfo();
  return reconcileVisits({ id: `${workflowId}:${runId}`, graceSeconds: opts.graceSeconds });
}
