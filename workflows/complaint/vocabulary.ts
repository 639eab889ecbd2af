import type { Vocabulary } from '../kernel/vocabulary';
import { AWAITING_RESPONSE, BEFORE_RESPONSE } from './case';
import { COMPLAINT, type ComplaintState } from './definitions';

/** A complaint's words (see ../kernel/vocabulary.ts); the rules they speak of are in ./case.ts. */
export const COMPLAINT_WORDS: Vocabulary<ComplaintState> = {
  caseType: 'complaint',
  page: (reference) => `/complaints/${encodeURIComponent(reference)}`,
  events: {
    acknowledge: 'Record the acknowledgement',
    'time-limit': 'Decide on the time limit',
    'informal-resolution': 'Record an informal resolution',
    consent: 'Record consent',
    handling: 'Decide who handles it',
    'lead-body': 'Agree a lead body',
    contribution: 'Record a contribution',
    'provider-request': 'Ask the provider for its account',
    'provider-response': 'Record the provider’s account',
    extend: 'Extend the response date',
    hold: 'Put on hold',
    resume: 'Resume',
    'complainant-update': 'Record an update to the complainant',
    withdraw: 'Record a withdrawal',
    respond: 'Record the response',
    close: 'Close the case',
    reopen: 'Reopen the case',
    'ombudsman-referral': 'Record contact from the Ombudsman',
    'ombudsman-investigation': 'Record the Ombudsman’s investigation',
    'ombudsman-draft-report': 'Record the Ombudsman’s draft report',
    'ombudsman-comments': 'Record comments sent to the Ombudsman',
    'ombudsman-final-report': 'Record the Ombudsman’s final report',
    'ombudsman-compliance': 'Record a recommendation met',
  },
  /** The state half of each rule in ./case.ts. */
  offered(s) {
    const open = COMPLAINT.open.includes(s.status);
    const om = s.status === 'with_ombudsman' ? s.ombudsman : undefined;
    const offered: [string, boolean][] = [
      ['time-limit', !!s.timeLimit && !s.timeLimit.decision && s.status === 'received'],
      ['informal-resolution', s.method === 'oral' && !!s.informalResolutionBy && s.status === 'received'],
      ['acknowledge', s.status === 'received' && (!s.timeLimit || !!s.timeLimit.decision)],
      // Given before the response; withdrawn at any time while the case is open (reg 7(3)).
      ['consent', open],
      ['handling', BEFORE_RESPONSE.has(s.status) && !s.handledBy],
      ['lead-body', AWAITING_RESPONSE.has(s.status) && !s.lead],
      ['contribution', !!s.lead?.contributions.some((c) => !c.receivedOn)],
      ['provider-request', s.status === 'acknowledged' && !!s.consentToShare && s.handledBy !== 'provider' && !s.providerAccountRequestedOn],
      ['provider-response', !!s.providerAccountRequestedOn && !s.providerAccountReceivedOn],
      ['complainant-update', s.status === 'acknowledged' && !!s.updates],
      ['extend', s.status === 'acknowledged'],
      ['hold', s.status === 'acknowledged'],
      ['resume', s.status === 'on_hold'],
      ['respond', s.status === 'acknowledged'],
      ['close', s.status === 'responded'],
      ['withdraw', open],
      ['reopen', s.status === 'closed'],
      ['ombudsman-referral', !s.ombudsman && !!s.closedOn && ['closed', 'completed'].includes(s.status)],
      ['ombudsman-investigation', !!om && !om.investigationOpenedOn],
      ['ombudsman-draft-report', !!om && !om.draftReportOn],
      ['ombudsman-comments', !!om && !!om.draftReportOn && !om.commentsSentOn],
      ['ombudsman-final-report', !!om && !om.finalReportOn],
      ['ombudsman-compliance', !!om && !!om.finalReportOn && om.recommendations.some((r) => !r.metOn)],
    ];
    return offered.filter(([, ok]) => ok).map(([path]) => path);
  },
  deadlines: {
    acknowledgement: { label: 'Acknowledgement (3 working days)', what: () => 'the acknowledgement of the complaint' },
    response: { label: 'Response to the complainant', what: () => 'the response to the complainant' },
    provider_account: { label: 'Provider’s account', what: () => "the provider's account" },
    complainant_update: { label: 'Next update to the complainant', what: () => 'an update to the complainant' },
    six_month_letter: { label: 'Six-month letter (reg 14(2))', what: () => 'the letter telling the complainant why there is no response after six months' },
    ombudsman_window: { label: 'Ombudsman window (12 months)' },
    informal_resolution: { label: 'Informal resolution (next working day)' },
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
    'contribution:reminder': { audience: 'quality_lead', subject: 'A contribution from another body is due soon (reg 9)' },
    'contribution:escalation': { audience: 'quality_lead', subject: 'A contribution from another body is overdue (reg 9)' },
    'ombudsman_comments:reminder': { audience: 'quality_lead', subject: 'Comments on the Ombudsman’s draft report are due soon' },
    'ombudsman_comments:escalation': { audience: 'quality_lead', subject: 'Comments on the Ombudsman’s draft report are overdue' },
    'recommendation:reminder': { audience: 'quality_lead', subject: 'An Ombudsman recommendation is due soon' },
    'recommendation:escalation': { audience: 'quality_lead', subject: 'An Ombudsman recommendation is overdue' },
  },
};
