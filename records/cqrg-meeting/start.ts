import type { CqrgMeetingRecord } from '../../models/cqrg-meeting';
import type { CqrgMeetingWorkflowInput } from '../../contracts/cqrg-meeting/definitions';

export type StartableMeeting = Pick<CqrgMeetingRecord, '_id' | 'workflowId' | 'workflowInput'>;

/** The record fields a meeting's workflow input is read from. */
export const START_FIELDS = ['workflowInput'] as const;

/** What a meeting's workflow was (or is to be) started with, as its record keeps it from the start. */
export async function cqrgMeetingWorkflowInput(record: StartableMeeting): Promise<CqrgMeetingWorkflowInput> {
  if (!record.workflowInput) throw new Error(`CQRG meeting ${record._id} keeps no workflow input`);
  return record.workflowInput as CqrgMeetingWorkflowInput;
}
