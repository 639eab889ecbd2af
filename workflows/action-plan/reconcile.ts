import { reconcileCasesWorkflow } from '../kernel/reconcile';
import type { ReconcileSummary } from '../../contracts/kernel/reconcile';
import { ACTION_PLAN } from '../../contracts/action-plan/definitions';

/**
 * Retired: the action plans' reconciler before the kernel's (reconcileCasesWorkflow, to which it hands
 * over), kept in the bundle so that its runs' histories replay and a Schedule not yet moved still
 * starts something valid.
 */
export async function reconcileActionPlansWorkflow(opts: { graceSeconds?: number } = {}): Promise<ReconcileSummary> {
  return reconcileCasesWorkflow({ ...opts, process: ACTION_PLAN.name });
}
