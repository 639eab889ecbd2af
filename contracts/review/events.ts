import { eventOf, updatesOf } from '../kernel/events';
import { MAX_FEEDBACK, REVIEW, type ReviewState } from './definitions';
import * as body from './inputs';
import { freeText, pastDate, z } from '../../lib/zod';

const event = eventOf<ReviewState>();
/** Still to be recorded: every event but feedback needs it (./case.ts). */
const open = (s: ReviewState) => (REVIEW.open as readonly string[]).includes(s.status);
/** A commissioner changes only the reviews they own (api/auth/permissions.ts holds them to it). */
const COMMISSIONING = ['commissioner', 'administrator'] as const;

/** A review's human events: POST /api/reviews/:reference/<path>, one row each. */
export const REVIEW_EVENTS = {
  record: event({
    update: 'recordReview',
    title: 'Record the review',
    summary: 'Record the review: measured effects on access, outcomes and experience, and at least one "you said, we did" pair',
    body: body.recordReviewBody,
    roles: COMMISSIONING,
    offered: open,
  }),
  reschedule: event({
    update: 'rescheduleReview',
    title: 'Reschedule the review',
    summary: 'Move the due date, with a reason: a new date, or a new go-live date (due six months after it)',
    body: body.rescheduleBody,
    roles: COMMISSIONING,
    offered: open,
  }),
  cancel: event({ update: 'cancelReview', title: 'Cancel the review', summary: 'Cancel the review, with a reason: every clock stops', body: body.cancelBody, roles: COMMISSIONING, offered: open }),
  // On a recorded review: its finished workflow is resumed for it.
  feedback: event({
    update: 'recordFeedback',
    title: 'Record feedback given to those who took part',
    summary: 'Record that "you said, we did" went back to those who took part: when, how, and to whom as a group',
    body: body.feedbackBody,
    roles: COMMISSIONING,
    offered: (s) => s.status === 'completed' && (s.feedback?.length ?? 0) < MAX_FEEDBACK,
    revives: true,
  }),
  // Kept in the timeline only: what a commissioner learnt or agreed between scheduling and the
  // review (a slipped go-live, who to ask). About a service, never a person; on a recorded
  // review its finished workflow is resumed for it.
  note: event({
    update: 'noteReview',
    title: 'Add a note',
    summary: 'Add a note to the review’s timeline: a service’s news between scheduling and the review, or after it (never about a person)',
    body: z.object({ notedOn: pastDate, text: freeText(2000, 1) }).strict().openapi('ReviewNote'),
    roles: COMMISSIONING,
    offered: (s) => s.status !== 'cancelled',
    revives: true,
  }),
};

/** The Updates the workflow registers and the API sends, one per row. */
export const REVIEW_UPDATES = updatesOf<ReviewState, typeof REVIEW_EVENTS>(REVIEW_EVENTS);
