import { LRUCache } from 'lru-cache';
import { planDeadline } from '../../lib/deadlines';
import type { ComplaintRecord } from '../../models/complaint';
import { DEFAULTS, type ComplaintWorkflowInput } from '../../workflows/complaint/definitions';
import type { Deadline } from '../../workflows/kernel/contract';

export type StartableRecord = Pick<ComplaintRecord, '_id' | 'workflowId' | 'workflowInput' | 'receivedOn' | 'providerCode' | 'consentToShare'>;

/** The record fields a case's workflow input is read or rebuilt from. */
export const START_FIELDS = ['workflowInput', 'receivedOn', 'providerCode', 'consentToShare'] as const;

const planned = new LRUCache<string, Deadline>({ max: 2_000 });

/**
 * The acknowledgement deadline, as the API plans it on receipt: 3 working days on the statutory
 * calendar (a local closure day does not move it), reminded on the morning it is due. Every case
 * received on the same day has the same one, so it is worked out once (a third of a millisecond
 * each time, on every create) and a copy handed out.
 */
export function acknowledgementDeadline(receivedOn: string): Deadline {
  let deadline = planned.get(receivedOn);
  if (!deadline) {
    deadline = planDeadline({
      id: 'acknowledgement',
      from: receivedOn,
      workingDays: DEFAULTS.acknowledgementWorkingDays,
      calendar: 'statutory',
      remindWorkingDaysBefore: [0],
    });
    planned.set(receivedOn, deadline);
  }
  return structuredClone(deadline);
}

/**
 * What a case's workflow was (or is to be) started with, as its record keeps it. Records from
 * before the input was kept have it rebuilt by today's acknowledgement rule.
 */
export async function complaintWorkflowInput(record: StartableRecord): Promise<ComplaintWorkflowInput> {
  if (record.workflowInput) return record.workflowInput as ComplaintWorkflowInput;
  const acknowledgement = acknowledgementDeadline(record.receivedOn);
  const { _id: reference, providerCode, receivedOn, consentToShare } = record;
  return { reference, providerCode, receivedOn, consentToShare, acknowledgement };
}
