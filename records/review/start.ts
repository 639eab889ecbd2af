import { addCalendarMonths } from '../../lib/calendar';
import type { ReviewRecord } from '../../models/review';
import { DEFAULTS, type ReviewWorkflowInput } from '../../contracts/review/definitions';

export type StartableReview = Pick<ReviewRecord, '_id' | 'workflowId' | 'workflowInput'>;

/** The record fields a review's workflow input is read from. */
export const START_FIELDS = ['workflowInput'] as const;

/** Six calendar months after go-live, a missing day falling back to the month's last (lib/calendar). */
export const reviewDueOn = (goLiveOn: string) => addCalendarMonths(goLiveOn, DEFAULTS.reviewMonths);

/** What a review's workflow was (or is to be) started with, as its record keeps it from the start. */
export async function reviewWorkflowInput(record: StartableReview): Promise<ReviewWorkflowInput> {
  if (!record.workflowInput) throw new Error(`review ${record._id} keeps no workflow input`);
  return record.workflowInput as ReviewWorkflowInput;
}
