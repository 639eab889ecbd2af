import type { Models } from '../../models';
import { REVIEW, snapshotQuery, type ReviewState } from '../../contracts/review/definitions';
import type { ReconciledRecord, ReconcileTarget } from '../kernel/reconcile';
import { listKeys, projection } from './activities';
import { reviewWorkflowInput, START_FIELDS, type StartableReview } from '../../records/review/start';
import { reviewSearch } from '../../records/review/search';

/** The reviews as the kernel's reconciler sees them (activities/kernel/reconcile-activities.ts): the same checks and repairs. */
export function reviewReconcileTarget(models: Models): ReconcileTarget<ReviewState, ReconciledRecord & StartableReview> {
  return {
    process: REVIEW,
    model: models.Review,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    search: reviewSearch,
    startFields: START_FIELDS,
    workflowInput: (record) => reviewWorkflowInput(record),
  };
}
