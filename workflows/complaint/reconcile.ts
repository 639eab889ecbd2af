import { reconcileCasesWorkflow } from '../kernel/reconcile';
import type { ReconcileSummary } from '../../contracts/kernel/reconcile';
import { COMPLAINT } from '../../contracts/complaint/definitions';

/**
 * Retired: the complaints' reconciler before the kernel's (reconcileCasesWorkflow, to which it hands
 * over), kept in the bundle so that its runs' histories replay and a Schedule not yet moved still
 * starts something valid.
 */
export async function reconcileComplaintsWorkflow(opts: { graceSeconds?: number } = {}): Promise<ReconcileSummary> {
  return reconcileCasesWorkflow({ ...opts, process: COMPLAINT.name });
}
