import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconcileActivity } from '../../activities/kernel/reconcile-activities';
import { reconcileActivityName, type ReconcileInput, type ReconcileSummary } from '../../contracts/kernel/reconcile';

const reconcilers = proxyActivities<Record<string, ReconcileActivity>>({
  // It reads every open case of the process once: minutes at a hundred thousand records.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One pass of the kernel's reconciler over every record and workflow of one process; a Temporal
 * Schedule per process runs it every few minutes (worker/schedules.ts) and an administrator can
 * run it at once (api/admin). Its report goes to the `reconciliations` collection; the history
 * keeps only the counts.
 */
export async function reconcileCasesWorkflow({ process, graceSeconds }: ReconcileInput): Promise<ReconcileSummary> {
  const { workflowId, runId } = workflowInfo();
  return reconcilers[reconcileActivityName(process)]({ id: `${workflowId}:${runId}`, graceSeconds });
}
