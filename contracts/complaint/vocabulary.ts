import { offeredBy } from '../kernel/events';
import type { Vocabulary } from '../kernel/vocabulary';
import { COMPLAINT, type ComplaintState } from './definitions';
import { COMPLAINT_EVENTS } from './events';

/** A complaint's words (see ../kernel/vocabulary.ts); the rules they speak of are in workflows/complaint/rules/. */
export const COMPLAINT_WORDS: Vocabulary<ComplaintState> = {
  caseType: 'complaint',
  noun: 'Complaint',
  page: (reference) => `/complaints/${encodeURIComponent(reference)}`,
  events: COMPLAINT_EVENTS,
  offered: offeredBy(COMPLAINT_EVENTS),
  deadlines: {
    acknowledgement: { label: 'Acknowledgement (3 working days)', what: () => 'the acknowledgement of the complaint' },
    response: { label: 'Response to the complainant', what: () => 'the response to the complainant' },
    provider_account: { label: 'Provider’s account', what: () => "the provider's account" },
    complainant_update: { label: 'Next update to the complainant', what: () => 'an update to the complainant' },
    six_month_letter: { label: 'Six-month letter (reg 14(2))', what: () => 'the letter telling the complainant why there is no response after six months' },
    ombudsman_window: { label: 'Ombudsman window (12 months)' },
    informal_resolution: { label: 'Informal resolution (next working day)' },
    transfer: { label: 'Sending the complaint on (as soon as reasonably practicable)', what: () => 'sending the complaint on to the body that will handle it (reg 6(5), 7(5))' },
    provider_outcome: { label: 'The provider’s outcome (complaint passed to it)', what: () => "the provider's outcome of the complaint passed to it (reg 7(5))" },
    ombudsman_comments: { what: () => "comments on the Ombudsman's draft report" },
    recommendation: { what: (n) => `evidence that the Ombudsman's recommendation ${n} was met` },
    contribution: { what: (n) => `contribution ${n} from another body` },
    safeguarding_concern: { what: () => 'a safeguarding concern' },
  },
  // Reminders and escalations of other bodies' dates go to the quality lead (the default).
  alarms: {
    'acknowledgement:reminder': { audience: 'case_owner', subject: 'Acknowledgement due today (3 working days after receipt)' },
    'acknowledgement:escalation': { audience: 'quality_lead', subject: 'Acknowledgement deadline missed' },
    'provider_account:reminder': { audience: 'provider', subject: 'Provider account due soon' },
    'provider_account:escalation': { audience: 'quality_lead', subject: 'Provider account overdue' },
    'response:reminder': { audience: 'case_owner', subject: 'Response to complainant due soon' },
    'response:escalation': { audience: 'quality_lead', subject: 'Response to complainant overdue' },
    'six_month_letter:task': { audience: 'case_owner', subject: 'Six months without a response: write to the complainant explaining why' },
    'complainant_update:update_due': { audience: 'case_owner', subject: 'An update on progress is due to the complainant' },
    'safeguarding_concern:safeguarding_concern': { audience: 'safeguarding_lead', subject: 'Safeguarding concern raised in a complaint received today' },
    'transfer:reminder': { audience: 'case_owner', subject: 'Send the complaint on to the body that will handle it (reg 7): due soon' },
    'transfer:escalation': { audience: 'quality_lead', subject: 'A complaint to be sent to another body has not been sent (reg 7)' },
    'provider_outcome:reminder': { audience: 'case_owner', subject: 'The provider’s outcome of a complaint passed to it is due soon (reg 7(5))' },
    'provider_outcome:escalation': { audience: 'quality_lead', subject: 'The provider has not reported the outcome of a complaint passed to it (reg 7(5))' },
    'contribution:reminder': { audience: 'quality_lead', subject: 'A contribution from another body is due soon (reg 9)' },
    'contribution:escalation': { audience: 'quality_lead', subject: 'A contribution from another body is overdue (reg 9)' },
    'ombudsman_comments:reminder': { audience: 'quality_lead', subject: 'Comments on the Ombudsman’s draft report are due soon' },
    'ombudsman_comments:escalation': { audience: 'quality_lead', subject: 'Comments on the Ombudsman’s draft report are overdue' },
    'recommendation:reminder': { audience: 'quality_lead', subject: 'An Ombudsman recommendation is due soon' },
    'recommendation:escalation': { audience: 'quality_lead', subject: 'An Ombudsman recommendation is overdue' },
  },
  documents: {
    complaint_letter: 'Complaint letter',
    written_record: 'Written record of an oral complaint (reg 13(2))',
    representative_notice: 'Notice to the representative (reg 5)',
    consent_form: 'Consent form',
    acknowledgement: 'Acknowledgement letter',
    provider_account: 'Provider’s account',
    response: 'Response',
    six_month_letter: 'Six-month letter',
    ombudsman: 'Ombudsman correspondence',
    other: 'Other',
  },
  // The statutory letters (api/letters; their words in api/letters/templates/complaint/).
  letters: {
    // Reg 13: the acknowledgement, with the offer to discuss the handling and the response period.
    acknowledgement: {
      title: 'Acknowledgement letter',
      document: 'acknowledgement',
      to: 'complainant',
      refused: (s) => (s.acknowledgedOn ? undefined : s.status === 'received' ? 'the letter gives the response date, which is set when the acknowledgement is recorded: record the acknowledgement first' : `the complaint is ${words(s.status)} and was never acknowledged`),
    },
    // Reg 14(2)(b): six months (or the longer period agreed) without a response: say why.
    six_month_letter: {
      title: 'Six-month letter',
      document: 'six_month_letter',
      to: 'complainant',
      explanation: 'why there is no response yet, in words for the complainant (reg 14(2)(b))',
      refused(s, today) {
        if (s.respondedOn) return `the response went out on ${s.respondedOn}: the six-month letter is for a complaint still without one (reg 14(2)(b))`;
        if (!COMPLAINT.open.includes(s.status)) return `the complaint is ${words(s.status)}`;
        if (s.status === 'with_provider') return 'the complaint was sent to the provider, which responds to the complainant (reg 7(5))';
        const due = s.deadlines.six_month_letter?.dueOn;
        if (!due || today < due) return `the six-month letter is due on ${due ?? 'the day six months after receipt'}, when six months have passed without a response (reg 14(2)(b)); not before`;
        return undefined;
      },
    },
    // Reg 14(2): sent with the response, telling the complainant of their right to go to the Ombudsman.
    response_cover: {
      title: 'Response cover letter',
      document: 'response',
      to: 'complainant',
      refused: (s) => (!s.acknowledgedOn ? 'the response follows the acknowledgement: record the acknowledgement first' : ['withdrawn', 'transferred', 'with_provider'].includes(s.status) ? `the complaint was ${words(s.status === 'with_provider' ? 'transferred' : s.status)}: there is no response to send` : undefined),
    },
  },
};

const words = (status: string) => status.replace(/_/g, ' ');
