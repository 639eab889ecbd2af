import {
  cancelUpdate,
  draftReportUpdate,
  finalReportUpdate,
  postponeUpdate,
  providerCommentsUpdate,
  recordInformationUpdate,
  reviewCommentsUpdate,
  tookPlaceUpdate,
  VisitState,
} from '../../contracts/visit/definitions';
import { caseEvent, type CaseEvent } from '../kernel/events';
import * as body from '../../contracts/visit/inputs';

/** The human events of a visit: POST /api/visits/:reference/<path>, one line each. */
export const VISIT_EVENTS: CaseEvent<VisitState>[] = [
  caseEvent('postpone', 'Re-date the visit, later or earlier, with a reason: the panel’s reminders, and an announced visit’s notice to the provider, re-arm; brought forward inside the notice period, say why', body.postponeBody, postponeUpdate),
  caseEvent('information', 'Record the information an announced visit’s provider was asked for (due before the visit)', body.informationBody, recordInformationUpdate),
  caseEvent('took-place', 'Record that the visit took place, on its date (held on another day, re-date it first); the draft report falls due', body.tookPlaceBody, tookPlaceUpdate),
  caseEvent('draft-report', 'Record the draft report sent to the provider; its factual-accuracy window opens (default 10 working days)', body.draftReportBody, draftReportUpdate),
  caseEvent('provider-comments', 'Record the provider’s factual-accuracy comments, within the window (they end it)', body.providerCommentsBody, providerCommentsUpdate),
  caseEvent('comments-review', 'Record the review of the factual-accuracy comments, by someone who was not on the panel', body.commentsReviewBody, reviewCommentsUpdate),
  caseEvent('final-report', 'Record the final report; its recommendations start a provider action plan (linked)', body.finalReportBody, finalReportUpdate),
  caseEvent('cancel', 'Cancel a visit that has not taken place: every clock stops', body.cancelBody, cancelUpdate),
];
