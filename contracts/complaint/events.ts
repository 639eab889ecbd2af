import { eventOf, updatesOf } from '../kernel/events';
import { AWAITING_RESPONSE, BEFORE_RESPONSE } from './constants';
import { awaitingWrittenRecord, representativePending, transferPending } from './guards';
import { COMPLAINT, type ComplaintState } from './definitions';
import * as body from './inputs';

const event = eventOf<ComplaintState>();
const QUALITY = ['quality_team', 'administrator'] as const;
const open = (s: ComplaintState) => COMPLAINT.open.includes(s.status);
/** Reg 5: not considered until the representative is decided on; reg 6(6): not ours once sent on. */
const considered = (s: ComplaintState) => !representativePending(s) && !transferPending(s);
/** With the Ombudsman, the stage's question of its record; never otherwise. */
const withOmbudsman = (s: ComplaintState, asked: (om: NonNullable<ComplaintState['ombudsman']>) => boolean) => s.status === 'with_ombudsman' && !!s.ombudsman && asked(s.ombudsman);

/**
 * A complaint's human events: POST /api/complaints/:reference/<path>, one row each, in the order
 * its page shows them; `offered` is the state half of each rule in workflows/complaint/rules/.
 */
export const COMPLAINT_EVENTS = {
  acknowledge: event({ update: 'acknowledge', title: 'Record the acknowledgement', body: body.acknowledgeBody, roles: QUALITY,
    summary: 'Record the acknowledgement (due 3 working days after receipt)',
    offered: (s) => s.status === 'received' && (!s.timeLimit || !!s.timeLimit.decision) && !awaitingWrittenRecord(s) }),
  'written-record': event({ update: 'recordWrittenRecord', title: 'Record the written record of an oral complaint', body: body.writtenRecordBody, roles: QUALITY,
    summary: 'Reg 13(2): an oral complaint written down and a copy offered to the complainant (needed before it is acknowledged)',
    offered: (s) => s.method === 'oral' && !s.writtenRecord && BEFORE_RESPONSE.has(s.status) }),
  representative: event({ update: 'decideRepresentative', title: 'Decide whether the representative is suitable', body: body.representativeDecisionBody, roles: QUALITY,
    summary: 'Reg 5(3)-(5): decide whether a representative acting for a child or someone lacking capacity is suitable; if not, told in writing why, and the case ends',
    offered: (s) => representativePending(s) && open(s) }),
  'time-limit': event({ update: 'decideTimeLimit', title: 'Decide on the time limit', body: body.timeLimitBody, roles: QUALITY,
    summary: 'Reg 12(4): record whether a complaint made after the 12-month time limit is investigated anyway, and why (before acknowledgement)',
    offered: (s) => !!s.timeLimit && !s.timeLimit.decision && s.status === 'received' }),
  'informal-resolution': event({ update: 'resolveInformally', title: 'Record an informal resolution', body: body.informalResolutionBody, roles: QUALITY,
    summary: 'Reg 8: an oral complaint resolved by the next working day; it closes outside the regulations',
    offered: (s) => s.method === 'oral' && !!s.informalResolutionBy && s.status === 'received' }),
  // Given before the response; withdrawn at any time while the case is open (reg 7(3)).
  consent: event({ update: 'recordConsent', title: 'Record consent', body: body.consentBody, roles: QUALITY,
    summary: "Record the complainant's consent to share with the provider, or its withdrawal (at any time, reg 7(3))",
    offered: (s) => open(s) }),
  handling: event({ update: 'decideHandling', title: 'Decide who handles it', body: body.handlingBody, roles: QUALITY,
    summary: 'Reg 7(4)/(5), 6(5): the commissioner handles the complaint, or passes it with consent to the provider or another body; it is then due to be sent on as soon as reasonably practicable',
    offered: (s) => BEFORE_RESPONSE.has(s.status) && !s.handledBy }),
  transfer: event({ update: 'transfer', title: 'Record the complaint sent on', body: body.transferBody, roles: QUALITY,
    summary: 'Reg 6(6), 7(5): record that the complaint was sent to the body that will handle it; sent to another body the case ends transferred, sent to the provider it awaits the provider’s outcome',
    offered: (s) => transferPending(s) && BEFORE_RESPONSE.has(s.status) && s.consentToShare && !s.consentWithdrawnOn }),
  // Reg 7(5): sent to the provider, the case waits for the provider's outcome.
  'provider-outcome': event({ update: 'recordProviderOutcome', title: 'Record the provider’s outcome', body: body.providerOutcomeBody, roles: QUALITY,
    summary: 'Reg 7(5): record the outcome the provider reports for a complaint passed to it; the case ends transferred',
    offered: (s) => s.status === 'with_provider' }),
  'lead-body': event({ update: 'agreeLeadBody', title: 'Agree a lead body', body: body.leadBodyBody, roles: QUALITY,
    summary: 'Reg 9: another body leads; the case follows its response date and chases the other bodies’ contributions',
    offered: (s) => AWAITING_RESPONSE.has(s.status) && !s.lead }),
  contribution: event({ update: 'recordContribution', title: 'Record a contribution', body: body.contributionBody, roles: QUALITY,
    summary: 'Record a contribution received from another body (reg 9)',
    offered: (s) => !!s.lead?.contributions.some((c) => !c.receivedOn) }),
  'provider-request': event({ update: 'requestProviderAccount', title: 'Ask the provider for its account', body: body.providerRequestBody, roles: QUALITY,
    summary: 'Ask the provider for its account (needs consent; default 10 working days)',
    offered: (s) => s.status === 'acknowledged' && !!s.consentToShare && s.handledBy !== 'provider' && !s.providerAccountRequestedOn && considered(s) }),
  'provider-response': event({ update: 'recordProviderAccount', title: 'Record the provider’s account', body: body.providerResponseBody, roles: QUALITY,
    summary: "Record the provider's account",
    offered: (s) => !!s.providerAccountRequestedOn && !s.providerAccountReceivedOn }),
  extend: event({ update: 'extendResponse', title: 'Extend the response date', body: body.extendBody, roles: QUALITY,
    summary: 'Move the response date, with a reason and the complainant’s agreement',
    offered: (s) => s.status === 'acknowledged' }),
  hold: event({ update: 'hold', title: 'Put on hold', body: body.holdBody, roles: QUALITY,
    summary: 'Pause the response clock (police, coroner, legal action)',
    offered: (s) => s.status === 'acknowledged' }),
  resume: event({ update: 'resume', title: 'Resume', body: body.resumeBody, roles: QUALITY,
    summary: 'Resume a held case: the response date moves by the working days the hold took',
    offered: (s) => s.status === 'on_hold' }),
  'complainant-update': event({ update: 'recordComplainantUpdate', title: 'Record an update to the complainant', body: body.complainantUpdateBody, roles: QUALITY,
    summary: 'Record an update sent to the complainant on progress (reg 14(1)(b)); the next falls due after the agreed interval',
    offered: (s) => s.status === 'acknowledged' && !!s.updates }),
  withdraw: event({ update: 'withdraw', title: 'Record a withdrawal', body: body.withdrawBody, roles: QUALITY,
    summary: 'Record that the complainant withdrew the complaint: every clock stops; the case closes as withdrawn, not with an outcome',
    offered: (s) => open(s) }),
  respond: event({ update: 'respond', title: 'Record the response', body: body.respondBody, roles: QUALITY,
    summary: 'Record the response sent to the complainant: signed by the responsible person, telling them of their right to go to the Ombudsman (reg 14(2))',
    offered: (s) => s.status === 'acknowledged' && considered(s) }),
  close: event({ update: 'close', title: 'Close the case', body: body.closeBody, roles: QUALITY,
    summary: 'Close with an outcome and lessons learned; opens the 12-month Ombudsman window',
    offered: (s) => s.status === 'responded' }),
  reopen: event({ update: 'reopen', title: 'Reopen the case', body: body.reopenBody, roles: QUALITY,
    summary: 'Reopen a closed case with a reason and a new response date; closing it again opens a new Ombudsman window',
    offered: (s) => s.status === 'closed' }),
  'ombudsman-referral': event({ update: 'referToOmbudsman', title: 'Record contact from the Ombudsman', body: body.ombudsmanReferralBody, roles: QUALITY, revives: true,
    summary: 'Record contact from the Parliamentary and Health Service Ombudsman: at any time after closure, also after the 12-month window (s.9(4) of the 1993 Act); opens the Ombudsman stage',
    offered: (s) => !s.ombudsman && !!s.closedOn && ['closed', 'completed'].includes(s.status) }),
  'ombudsman-investigation': event({ update: 'ombudsmanInvestigation', title: 'Record the Ombudsman’s investigation', body: body.ombudsmanInvestigationBody, roles: QUALITY,
    summary: 'Record that the Ombudsman opened an investigation',
    offered: (s) => withOmbudsman(s, (om) => !om.investigationOpenedOn) }),
  'ombudsman-draft-report': event({ update: 'ombudsmanDraftReport', title: 'Record the Ombudsman’s draft report', body: body.ombudsmanDraftBody, roles: QUALITY,
    summary: 'Record the Ombudsman’s draft report and the date comments are due',
    offered: (s) => withOmbudsman(s, (om) => !om.draftReportOn) }),
  'ombudsman-comments': event({ update: 'ombudsmanComments', title: 'Record comments sent to the Ombudsman', body: body.ombudsmanCommentsBody, roles: QUALITY,
    summary: 'Record that comments on the draft report were sent',
    offered: (s) => withOmbudsman(s, (om) => !!om.draftReportOn && !om.commentsSentOn) }),
  'ombudsman-final-report': event({ update: 'ombudsmanFinalReport', title: 'Record the Ombudsman’s final report', body: body.ombudsmanFinalBody, roles: QUALITY,
    summary: 'Record the Ombudsman’s final report: its finding and recommendations, each with a due date',
    offered: (s) => withOmbudsman(s, (om) => !om.finalReportOn) }),
  'ombudsman-compliance': event({ update: 'ombudsmanCompliance', title: 'Record a recommendation met', body: body.ombudsmanComplianceBody, roles: QUALITY,
    summary: 'Record evidence that a recommendation was met; the case completes when all are',
    offered: (s) => withOmbudsman(s, (om) => !!om.finalReportOn && om.recommendations.some((r) => !r.metOn)) }),
};

/** The Updates the workflow registers and the API sends, one per row. */
export const COMPLAINT_UPDATES = updatesOf<ComplaintState, typeof COMPLAINT_EVENTS>(COMPLAINT_EVENTS);
