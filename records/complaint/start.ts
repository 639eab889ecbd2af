import { LRUCache } from 'lru-cache';
import { addCalendarMonths, nextWorkingDay } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import type { ComplaintRecord } from '../../models/complaint';
import { DEFAULTS, REPRESENTATIVE_CHECKS, type ComplaintMethod, type ComplaintWorkflowInput, type RepresentativeCheck } from '../../contracts/complaint/definitions';
import type { Deadline } from '../../contracts/kernel/case';

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
 * Reg 12(1)/(2): a complaint is made in time within 12 months of the matter, or of the complainant
 * becoming aware of it if later. Out of time only when a date says so: with neither, it is not.
 */
export function madeOutOfTime(receivedOn: string, matterOccurredOn?: string, becameAwareOn?: string): boolean {
  const start = [matterOccurredOn, becameAwareOn].filter((d): d is string => !!d).sort().at(-1);
  return !!start && receivedOn > addCalendarMonths(start, DEFAULTS.timeLimitMonths);
}

/**
 * The checks on receipt a workflow is started with: how it was made, by when an oral one must be
 * resolved to fall outside the regulations (reg 8: by the next working day, statutory calendar),
 * whether it was made out of time (reg 12), whether it raises a safeguarding concern, and whether
 * a representative acts for a child or someone lacking capacity (reg 5(3)-(5): decided on first).
 */
export function receiptChecks(c: {
  receivedOn: string;
  method?: ComplaintMethod | null;
  matterOccurredOn?: string | null;
  becameAwareOn?: string | null;
  safeguardingConcern?: boolean | null;
  madeBy?: string | null;
  representative?: { basis?: string | null } | null;
}): NonNullable<ComplaintWorkflowInput['receipt']> {
  const method = c.method ?? 'written';
  // Reg 5(3)-(5): only the basis goes to the workflow, never who the representative is.
  const basis = c.madeBy === 'representative' ? c.representative?.basis : undefined;
  const representative = (REPRESENTATIVE_CHECKS as readonly (string | null | undefined)[]).includes(basis) ? (basis as RepresentativeCheck) : undefined;
  return {
    ...(representative && { representative }),
    method,
    ...(method === 'oral' && { informalResolutionBy: nextWorkingDay(c.receivedOn, []) }),
    outOfTime: madeOutOfTime(c.receivedOn, c.matterOccurredOn ?? undefined, c.becameAwareOn ?? undefined),
    safeguarding: !!c.safeguardingConcern,
  };
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
