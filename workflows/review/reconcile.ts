import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReviewReconcileActivities } from '../../activities/review/reconcile-activities';

const { reconcileReviews } = proxyActivities<ReviewReconcileActivities>({
  // It reads every open review once.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One pass of the kernel's reconciler over every review record and workflow; a Temporal Schedule
 * runs it every few minutes (worker/schedules.ts). Its report goes to the `reconciliations`
 * collection; the history keeps only the counts.
 */
export async function reconcileReviewsWorkflow(opts: { graceSeconds?: number } = {}) {
  const { workflowId, runId } = workflowInfo();
  return reconcileReviews({ id: `${workflowId}:${runId}`, graceSeconds: opts.graceSeconds });
}
