import type { ComplaintState } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import type { Models } from '../../models';
import type { ComplaintRecord } from '../../models/complaint';
import { projectedCase, type LetterSource } from '../letters/service';
import { referenceParams } from './schemas';

/**
 * A complaint's letters (its vocabulary's `letters`), filled from its record: the complainant
 * (the only home of their name and address), their communication needs, the provider's name, and
 * the dates the workflow last projected (received, acknowledged, the response and six-month dates).
 */
export function complaintLetters(models: Models): LetterSource<ComplaintState> {
  return {
    caseType: COMPLAINT_WORDS.caseType,
    base: '/api/complaints',
    tag: 'complaints',
    referenceParams,
    letters: COMPLAINT_WORDS.letters ?? {},
    async load(reference) {
      const { record, state } = await projectedCase<ComplaintRecord, ComplaintState>((ref) => models.Complaint.findById(ref).lean<ComplaintRecord>(), reference);
      const provider = await models.Provider.findById(record.providerCode, { name: 1 }).lean<{ name: string }>();
      const complainant = record.complainant ?? {};
      return {
        state,
        needs: record.communicationNeeds ?? [],
        context: {
          recipient: {
            name: complainant.name ?? 'Sir or Madam',
            address: (complainant.address ?? '').split(/\r?\n|,\s*/).map((l) => l.trim()).filter(Boolean),
            email: complainant.email,
          },
          provider: { code: record.providerCode, name: provider?.name ?? record.providerCode },
          receivedOn: state.receivedOn,
          consentToShare: state.consentToShare,
          acknowledgedOn: state.acknowledgedOn,
          discussionOfferedOn: state.discussionOfferedOn,
          responsePeriod: state.responsePeriod,
          responseDueOn: state.deadlines.response?.dueOn,
          updateEveryWorkingDays: state.updateEveryWorkingDays,
          sixMonthDueOn: state.deadlines.six_month_letter?.dueOn,
          respondedOn: state.respondedOn,
          outcome: state.outcome?.replace(/_/g, ' '),
        },
      };
    },
  };
}
