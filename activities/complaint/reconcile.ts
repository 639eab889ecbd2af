import type { Models } from '../../models';
import { COMPLAINT, snapshotQuery, type ComplaintState } from '../../contracts/complaint/definitions';
import type { ReconciledRecord, ReconcileTarget } from '../kernel/reconcile';
import { listKeys, projection } from './activities';
import { complaintWorkflowInput, START_FIELDS, type StartableRecord } from '../../records/complaint/start';
import { complaintSearch } from '../../records/complaint/search';

/** The complaints as the kernel's reconciler sees them (activities/kernel/reconcile-activities.ts). */
export function complaintReconcileTarget(models: Models): ReconcileTarget<ComplaintState, ReconciledRecord & StartableRecord> {
  return {
    process: COMPLAINT,
    model: models.Complaint,
    snapshotQuery,
    project: projection,
    indexKeys: listKeys,
    search: complaintSearch,
    startFields: START_FIELDS,
    workflowInput: (record) => complaintWorkflowInput(record),
  };
}
