import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconcileActivity } from '../../activities/kernel/reconcile-activities';
import { reconcileActivityName, type ReconcileInput, type ReconcileSummary } from '../../contracts/kernel/reconcile';

/** A pass that heartbeats its checkpoints and resumes from the last one on another worker. */
export const RESUMABLE_PASS_PATCH = 'reconcile-resumable-pass';

const reconcilers = proxyActivities<Record<string, ReconcileActivity>>({
  // Before RESUMABLE_PASS_PATCH: one attempt read every open case, and a worker that died mid-pass
  // held it "started" until this ran out.
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

const passes = proxyActivities<Record<string, ReconcileActivity>>({
  // The pass heartbeats after every batch of cases, its cursor in the details: a worker that dies
  // is noticed within 30 s and the next attempt, on any worker, resumes from the last checkpoint
  // the server holds. Start-to-close only bounds a pass that heartbeats but never ends.
  heartbeatTimeout: '30 seconds',
  startToCloseTimeout: '30 minutes',
  // Bounded: the report names the attempt that finished; a pass that fails five times leaves its
  // watermark where it was, so the next scheduled run covers the same changes.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * One pass of the kernel's reconciler over one process's records and workflows; a Temporal
 * Schedule per process runs it every few minutes (worker/schedules.ts) and an administrator can
 * run it at once (api/admin). Its report goes to the `reconciliations` collection; the history
 * keeps only the counts and the cost.
 */
export async function reconcileCasesWorkflow({ process, graceSeconds, scope, batch }: ReconcileInput): Promise<ReconcileSummary> {
  const { workflowId, runId } = workflowInfo();
  const id = `${workflowId}:${runId}`;
  const name = reconcileActivityName(process);
  if (patched(RESUMABLE_PASS_PATCH)) return passes[name]({ id, graceSeconds, scope: scope ?? 'full', batch });
  return reconcilers[name]({ id, graceSeconds });
}
