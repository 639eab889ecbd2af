import type { Models } from '../../models';
import type { VisitRecord } from '../../models/visit';
import { snapshotQuery, VISIT, type VisitState, type VisitWorkflowInput } from '../../contracts/visit/definitions';
import { processRepairs, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import { VISIT_FINDINGS } from '../../contracts/visit/vocabulary';
import { listKeys, projection } from './activities';
import { removeStrayPlanLinks, repairComplaintLinks } from '../../records/visit/links';
import { visitSearch } from '../../records/visit/search';

/**
 * The visits as the kernel's reconciler sees them (activities/kernel/reconcile-activities.ts): a
 * record whose create died before its workflow started gets it, a workflow whose record is gone
 * is terminated, a projection behind its workflow is written forward; then a complaint's missing
 * side of a link.
 */
export function visitReconcileTarget(models: Models): ReconcileTarget<VisitState, ReconciledRecord & Pick<VisitRecord, 'workflowInput'>> {
  return {
    process: VISIT,
    model: models.Visit,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    search: visitSearch,
    // The API keeps every visit's input on its record from the first: nothing to rebuild.
    startFields: ['workflowInput'],
    workflowInput: async (record) => record.workflowInput as VisitWorkflowInput,
    // The links the kernel does not know of: a complaint's side of a visit that follows it up;
    // and a link to the visit's own request for a plan (not a case), removed.
    repairs: processRepairs(VISIT_FINDINGS, async (settled) => [
      ...(await repairComplaintLinks(models, settled)).map((l) => ({
        reference: l.visit,
        problem: 'complaint_link_missing' as const,
        repaired: true,
        detail: `${l.complaint} did not name the visit; its link was written`,
      })),
      ...(await removeStrayPlanLinks(models)).map((visit) => ({
        reference: visit,
        problem: 'stray_plan_link' as const,
        repaired: true,
        detail: 'the visit named its own request for an action plan as a link; removed',
      })),
    ]),
  };
}
