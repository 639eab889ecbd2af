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
 * The acknowledgement deadline, as the API plans it on receipt. Every case received on the same
 * day under the same closure days has the same one, so it is worked out once (a third of a
 * millisecond each time, on every create) and a copy handed out.
 */
export function acknowledgementDeadline(receivedOn: string, closures: string[]): Deadline {
  const key = `${receivedOn}|${closures.join(',')}`;
  let deadline = planned.get(key);
  if (!deadline) {
    deadline = planDeadline({ id: 'acknowledgement', from: receivedOn, workingDays: DEFAULTS.acknowledgementWorkingDays }, closures);
    planned.set(key, deadline);
  }
  return structuredClone(deadline);
}

/**
 * What a case's workflow was (or is to be) started with, as its record keeps it. Records from
 * before the input was kept have it rebuilt: the same acknowledgement rule, today's closures
 * (read only then).
 */
export async function complaintWorkflowInput(record: StartableRecord, closures: () => Promise<string[]>): Promise<ComplaintWorkflowInput> {
  if (record.workflowInput) return record.workflowInput as ComplaintWorkflowInput;
  const acknowledgement = acknowledgementDeadline(record.receivedOn, await closures());
  const { _id: reference, providerCode, receivedOn, consentToShare } = record;
  return { reference, providerCode, receivedOn, consentToShare, acknowledgement };
}
