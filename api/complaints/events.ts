import {
  acknowledgeUpdate,
  agreeLeadBodyUpdate,
  closeUpdate,
  ComplaintState,
  decideHandlingUpdate,
  decideTimeLimitUpdate,
  extendResponseUpdate,
  holdUpdate,
  ombudsmanCommentsUpdate,
  ombudsmanComplianceUpdate,
  ombudsmanDraftUpdate,
  ombudsmanFinalUpdate,
  ombudsmanInvestigationUpdate,
  recordContributionUpdate,
  resolveInformallyUpdate,
  resumeUpdate,
  recordComplainantUpdateUpdate,
  recordConsentUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  reopenUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
  withdrawUpdate,
  recordWrittenRecordUpdate,
  decideRepresentativeUpdate,
  transferUpdate,
} from '../../contracts/complaint/definitions';
import { badRequest } from '../errors';
import { isDesignated } from '../staff/service';
import { aspectsOf, outcomeOfAspects, type StoredCoding } from '../../models/ko41a';
import { caseEvent, type CaseEvent, type EventCheck } from '../kernel/events';
import * as body from '../../contracts/complaint/inputs';

/** Reg 14(2): the response's signatory is someone the staff directory designates the responsible person (reg 4). */
const signedByTheResponsiblePerson: EventCheck<{ signedBy: string }> = async ({ signedBy }, { models }) => {
  if (!(await isDesignated(models, signedBy, 'responsible_person'))) {
    throw badRequest('body.signedBy', `must be signed by the responsible person (reg 14(2)): ${signedBy} is not designated responsible_person in the staff directory`);
  }
};

/**
 * KO41a: a complaint is upheld when every aspect is, not upheld when none is, and partially
 * upheld otherwise; once every aspect has its outcome, the closure's must be the one they make.
 */
const outcomeAsItsAspects: EventCheck<{ outcome: string }> = async ({ outcome }, { models, reference }) => {
  const record = await models.Complaint.findById(reference, { coding: 1 }).lean<{ coding?: StoredCoding | null }>();
  const aspects = aspectsOf(record?.coding);
  const made = outcomeOfAspects(aspects);
  if (made && made !== outcome) {
    throw badRequest('body.outcome', `must be ${made}: that is what the outcomes of its ${aspects.length} aspect${aspects.length === 1 ? '' : 's'} make (KO41a); change them with PUT …/coding if they are wrong`);
  }
};

/** The human events of a case: POST /api/complaints/:reference/<path>, one line each. */
export const COMPLAINT_EVENTS: CaseEvent<ComplaintState>[] = [
  caseEvent('acknowledge', 'Record the acknowledgement (due 3 working days after receipt)', body.acknowledgeBody, acknowledgeUpdate),
  caseEvent('written-record', 'Reg 13(2): an oral complaint written down and a copy offered to the complainant (needed before it is acknowledged)', body.writtenRecordBody, recordWrittenRecordUpdate),
  caseEvent('representative', 'Reg 5(3)-(5): decide whether a representative acting for a child or someone lacking capacity is suitable; if not, told in writing why, and the case ends', body.representativeDecisionBody, decideRepresentativeUpdate),
  caseEvent('time-limit', 'Reg 12(4): record whether a complaint made after the 12-month time limit is investigated anyway, and why (before acknowledgement)', body.timeLimitBody, decideTimeLimitUpdate),
  caseEvent('informal-resolution', 'Reg 8: an oral complaint resolved by the next working day; it closes outside the regulations', body.informalResolutionBody, resolveInformallyUpdate),
  caseEvent('consent', "Record the complainant's consent to share with the provider, or its withdrawal (at any time, reg 7(3))", body.consentBody, recordConsentUpdate),
  caseEvent('handling', 'Reg 7(4)/(5), 6(5): the commissioner handles the complaint, or passes it with consent to the provider or another body; it is then due to be sent on as soon as reasonably practicable', body.handlingBody, decideHandlingUpdate),
  caseEvent('transfer', 'Reg 6(6), 7(5): record that the complaint was sent to the body that will handle it; the case ends transferred', body.transferBody, transferUpdate),
  caseEvent('lead-body', 'Reg 9: another body leads; the case follows its response date and chases the other bodies’ contributions', body.leadBodyBody, agreeLeadBodyUpdate),
  caseEvent('contribution', 'Record a contribution received from another body (reg 9)', body.contributionBody, recordContributionUpdate),
  caseEvent('provider-request', 'Ask the provider for its account (needs consent; default 10 working days)', body.providerRequestBody, requestProviderAccountUpdate),
  caseEvent('provider-response', "Record the provider's account", body.providerResponseBody, recordProviderAccountUpdate),
  caseEvent('extend', 'Move the response date, with a reason and the complainant’s agreement', body.extendBody, extendResponseUpdate),
  caseEvent('hold', 'Pause the response clock (police, coroner, legal action)', body.holdBody, holdUpdate),
  caseEvent('resume', 'Resume a held case: the response date moves by the working days the hold took', body.resumeBody, resumeUpdate),
  caseEvent('complainant-update', 'Record an update sent to the complainant on progress (reg 14(1)(b)); the next falls due after the agreed interval', body.complainantUpdateBody, recordComplainantUpdateUpdate),
  caseEvent('withdraw', 'Record that the complainant withdrew the complaint: every clock stops; the case closes as withdrawn, not with an outcome', body.withdrawBody, withdrawUpdate),
  caseEvent('respond', 'Record the response sent to the complainant: signed by the responsible person, telling them of their right to go to the Ombudsman (reg 14(2))', body.respondBody, respondUpdate, { check: signedByTheResponsiblePerson }),
  caseEvent('close', 'Close with an outcome and lessons learned; opens the 12-month Ombudsman window', body.closeBody, closeUpdate, { check: outcomeAsItsAspects }),
  caseEvent('reopen', 'Reopen a closed case with a reason and a new response date; closing it again opens a new Ombudsman window', body.reopenBody, reopenUpdate),
  caseEvent(
    'ombudsman-referral',
    'Record contact from the Parliamentary and Health Service Ombudsman: at any time after closure, also after the 12-month window (s.9(4) of the 1993 Act); opens the Ombudsman stage',
    body.ombudsmanReferralBody,
    referToOmbudsmanUpdate,
    { revives: true },
  ),
  caseEvent('ombudsman-investigation', 'Record that the Ombudsman opened an investigation', body.ombudsmanInvestigationBody, ombudsmanInvestigationUpdate),
  caseEvent('ombudsman-draft-report', 'Record the Ombudsman’s draft report and the date comments are due', body.ombudsmanDraftBody, ombudsmanDraftUpdate),
  caseEvent('ombudsman-comments', 'Record that comments on the draft report were sent', body.ombudsmanCommentsBody, ombudsmanCommentsUpdate),
  caseEvent('ombudsman-final-report', 'Record the Ombudsman’s final report: its finding and recommendations, each with a due date', body.ombudsmanFinalBody, ombudsmanFinalUpdate),
  caseEvent('ombudsman-compliance', 'Record evidence that a recommendation was met; the case completes when all are', body.ombudsmanComplianceBody, ombudsmanComplianceUpdate),
];
