import { upgradeDeadlines } from '../../contracts/kernel/case';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import type { Models } from '../../models';
import type { ComplaintRecord } from '../../models/complaint';
import { HttpError } from '../errors';
import type { LetterSource } from '../letters/service';
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
      const record = await models.Complaint.findById(reference).lean<ComplaintRecord>();
      if (!record) throw new HttpError(404, 'not_found', `no case ${reference}`);
      const projected = record.workflow as ComplaintState | undefined;
      if (!projected) throw new HttpError(409, 'conflict', `${reference} is still being opened: try again in a moment`);
      const state = { ...projected, deadlines: upgradeDeadlines(projected.deadlines) };
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
