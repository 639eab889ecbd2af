import type { UpdateDefinition } from '@temporalio/common';
import type { ZodType } from 'zod';
import {
  acknowledgeUpdate,
  closeUpdate,
  ComplaintState,
  extendResponseUpdate,
  recordConsentUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
} from '../../workflows/complaint/definitions';
import {
  acknowledgeBody,
  closeBody,
  consentBody,
  extendBody,
  ombudsmanReferralBody,
  providerRequestBody,
  providerResponseBody,
  respondBody,
} from './schemas';

export interface ComplaintEvent {
  path: string;
  summary: string;
  body: ZodType;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<ComplaintState, [any]>;
}

/** The human events of a case: POST /api/complaints/:reference/<path>. */
export const COMPLAINT_EVENTS: ComplaintEvent[] = [
  { path: 'acknowledge', summary: 'Record the acknowledgement (due 3 working days after receipt)', body: acknowledgeBody, update: acknowledgeUpdate },
  { path: 'consent', summary: "Record the complainant's consent to share with the provider", body: consentBody, update: recordConsentUpdate },
  { path: 'provider-request', summary: "Ask the provider for its account (needs consent; default 10 working days)", body: providerRequestBody, update: requestProviderAccountUpdate },
  { path: 'provider-response', summary: "Record the provider's account", body: providerResponseBody, update: recordProviderAccountUpdate },
  { path: 'extend', summary: 'Move the response date, with a reason and the complainant’s agreement', body: extendBody, update: extendResponseUpdate },
  { path: 'respond', summary: 'Record the response sent to the complainant', body: respondBody, update: respondUpdate },
  { path: 'close', summary: 'Close with an outcome and lessons learned; opens the 12-month Ombudsman window', body: closeBody, update: closeUpdate },
  { path: 'ombudsman-referral', summary: 'Record a referral to the Parliamentary and Health Service Ombudsman', body: ombudsmanReferralBody, update: referToOmbudsmanUpdate },
];
