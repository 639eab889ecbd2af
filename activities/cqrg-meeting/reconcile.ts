import type { Client } from '@temporalio/client';
import type { Models } from '../../models';
import { CQRG_MEETING, snapshotQuery, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { processRepairs, type ReconciledRecord, type ReconcileTarget } from '../kernel/reconcile';
import { meetingStateKeys } from '../../records/cqrg-meeting/lists';
import { projection } from './activities';
import { plannedMeetings } from './plans';
import { CYCLE_FINDINGS } from '../../contracts/cqrg-meeting/vocabulary';
import { cqrgMeetingWorkflowInput, START_FIELDS, type StartableMeeting } from '../../records/cqrg-meeting/start';

/**
 * The CQRG meetings as the kernel's reconciler sees them: the same checks and repairs as every
 * case; then, with a Temporal client, the meetings the providers' reporting plans should have open.
 */
export function cqrgMeetingReconcileTarget(models: Models, temporal?: { client: Client; taskQueue: string }): ReconcileTarget<CqrgMeetingState, ReconciledRecord & StartableMeeting> {
  return {
    process: CQRG_MEETING,
    model: models.CqrgMeeting,
    snapshotQuery,
    project: projection,
    indexKeys: meetingStateKeys,
    startFields: START_FIELDS,
    workflowInput: (record) => cqrgMeetingWorkflowInput(record),
    // The meetings the reporting plans should have open by now (./plans.ts).
    ...(temporal && { repairs: processRepairs(CYCLE_FINDINGS, plannedMeetings(models, temporal)) }),
  };
}
