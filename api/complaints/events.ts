import {
  acknowledgeUpdate,
  closeUpdate,
  ComplaintState,
  extendResponseUpdate,
  recordComplainantUpdateUpdate,
  recordConsentUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  reopenUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
  withdrawUpdate,
} from '../../workflows/complaint/definitions';
import { caseEvent, type CaseEvent } from '../kernel/events';
import * as body from './schemas';

/** The human events of a case: POST /api/complaints/:reference/<path>, one line each. */
export const COMPLAINT_EVENTS: CaseEvent<ComplaintState>[] = [
  caseEvent('acknowledge', 'Record the acknowledgement (due 3 working days after receipt)', body.acknowledgeBody, acknowledgeUpdate),
  caseEvent('consent', "Record the complainant's consent to share with the provider", body.consentBody, recordConsentUpdate),
  caseEvent('provider-request', 'Ask the provider for its account (needs consent; default 10 working days)', body.providerRequestBody, requestProviderAccountUpdate),
  caseEvent('provider-response', "Record the provider's account", body.providerResponseBody, recordProviderAccountUpdate),
  caseEvent('extend', 'Move the response date, with a reason and the complainant’s agreement', body.extendBody, extendResponseUpdate),
  caseEvent('complainant-update', 'Record an update sent to the complainant on progress (reg 14(1)(b)); the next falls due after the agreed interval', body.complainantUpdateBody, recordComplainantUpdateUpdate),
  caseEvent('withdraw', 'Record that the complainant withdrew the complaint: every clock stops; the case closes as withdrawn, not with an outcome', body.withdrawBody, withdrawUpdate),
  caseEvent('respond', 'Record the response sent to the complainant', body.respondBody, respondUpdate),
  caseEvent('close', 'Close with an outcome and lessons learned; opens the 12-month Ombudsman window', body.closeBody, closeUpdate),
  caseEvent('reopen', 'Reopen a closed case with a reason and a new response date; closing it again opens a new Ombudsman window', body.reopenBody, reopenUpdate),
  caseEvent('ombudsman-referral', 'Record a referral to the Parliamentary and Health Service Ombudsman', body.ombudsmanReferralBody, referToOmbudsmanUpdate),
];
