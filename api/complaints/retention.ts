import { COMPLAINT, type ComplaintState } from '../../contracts/complaint/definitions';
import type { Models } from '../../models';
import type { RetentionTarget } from '../admin/retention';

/** A finished complaint whose Ombudsman stage is over or never began: its record's retention runs from the day it ended. */
const ENDED = ['closed', 'completed', 'referred_to_ombudsman', ...COMPLAINT.finished];

/**
 * The day a complaint's records were closed, from which the retention period runs: closure (the
 * latest, after any reopening), else the day it ended otherwise (withdrawn, resolved informally,
 * not investigated; transferred: the day the provider's outcome was recorded, or the day it was sent). None while it is open or with the Ombudsman.
 */
export function closedOnOf(s: ComplaintState): string | undefined {
  if (!ENDED.includes(s.status)) return undefined;
  return s.closedOn ?? s.withdrawnOn ?? s.resolvedInformallyOn ?? s.transfer?.outcome?.receivedOn ?? s.transferredOn ?? s.timeLimit?.decidedOn;
}

/**
 * Complaint records are kept 10 years after closure (NHS Records Management Code of Practice 2023,
 * retention schedule: "Complaints"), configurable as RETENTION_COMPLAINT_YEARS.
 */
export function complaintRetention(models: Models, years: number): RetentionTarget {
  return {
    caseType: 'complaint',
    years,
    async closedBy(cutoff) {
      const records = await models.Complaint.find({ status: { $in: ENDED } }, { workflow: 1 }).lean<{ _id: string; workflow?: ComplaintState }[]>();
      return records.flatMap((r) => {
        const closedOn = r.workflow && closedOnOf(r.workflow);
        return closedOn && closedOn <= cutoff ? [{ reference: r._id, closedOn }] : [];
      });
    },
  };
}
