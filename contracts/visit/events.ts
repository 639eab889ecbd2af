import { eventOf, updatesOf } from '../kernel/events';
import type { VisitState } from './definitions';
import * as body from './inputs';

const event = eventOf<VisitState>();
/** The quality team plans and the panel records; a panel member only on the visits they sit on (api/auth/permissions.ts). */
const VISITORS = ['quality_team', 'visit_panel', 'administrator'] as const;

/**
 * An insight visit's human events: POST /api/visits/:reference/<path>, one row each, in the order
 * its page shows them; `offered` is the state half of each rule in workflows/visit/case.ts.
 */
export const VISIT_EVENTS = {
  postpone: event({ update: 'postpone', title: 'Re-date the visit', body: body.postponeBody, roles: VISITORS,
    summary: 'Re-date the visit, later or earlier, with a reason: the panel’s reminders, and an announced visit’s notice to the provider, re-arm; brought forward inside the notice period, say why',
    offered: (s) => s.status === 'planned' }),
  information: event({ update: 'recordInformation', title: 'Record the provider’s information', body: body.informationBody, roles: VISITORS,
    summary: 'Record the information an announced visit’s provider was asked for (due before the visit)',
    offered: (s) => s.status === 'planned' && s.announced && !!s.providerNotifiedOn && !s.informationReceivedOn }),
  'took-place': event({ update: 'tookPlace', title: 'Record that the visit took place', body: body.tookPlaceBody, roles: VISITORS,
    summary: 'Record that the visit took place, on its date (held on another day, re-date it first); the draft report falls due',
    offered: (s) => s.status === 'planned' }),
  'draft-report': event({ update: 'draftReport', title: 'Record the draft report sent', body: body.draftReportBody, roles: VISITORS,
    summary: 'Record the draft report sent to the provider; its factual-accuracy window opens (default 10 working days)',
    offered: (s) => s.status === 'visited' }),
  'provider-comments': event({ update: 'providerComments', title: 'Record the provider’s comments', body: body.providerCommentsBody, roles: VISITORS,
    summary: 'Record the provider’s factual-accuracy comments, within the window (they end it)',
    offered: (s) => s.status === 'draft_issued' && !(s.factualAccuracy && !s.factualAccuracy.comments) }),
  // Reviewed by someone who was not on the panel.
  'comments-review': event({ update: 'reviewComments', title: 'Record the review of the comments', body: body.commentsReviewBody, roles: VISITORS,
    summary: 'Record the review of the factual-accuracy comments, by someone who was not on the panel',
    offered: (s, caller) => s.status === 'comments_received' && !s.panel.some((seat) => seat.id === caller?.id) }),
  'final-report': event({ update: 'finalReport', title: 'Record the final report', body: body.finalReportBody, roles: VISITORS,
    summary: 'Record the final report; its recommendations start a provider action plan (linked)',
    offered: (s) => s.status === 'finalising' }),
  cancel: event({ update: 'cancel', title: 'Cancel the visit', body: body.cancelBody, roles: VISITORS,
    summary: 'Cancel a visit that has not taken place: every clock stops',
    offered: (s) => s.status === 'planned' }),
};

/** The Updates the workflow registers and the API sends, one per row. */
export const VISIT_UPDATES = updatesOf<VisitState, typeof VISIT_EVENTS>(VISIT_EVENTS);
