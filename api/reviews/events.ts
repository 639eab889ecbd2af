import { cancelReviewUpdate, feedbackUpdate, recordReviewUpdate, rescheduleReviewUpdate, ReviewState } from '../../contracts/review/definitions';
import { caseEvent, type CaseEvent } from '../kernel/events';
import * as body from '../../contracts/review/inputs';

/** The human events of a review: POST /api/reviews/:reference/<path>, one line each. */
export const REVIEW_EVENTS: CaseEvent<ReviewState>[] = [
  caseEvent('record', 'Record the review: measured effects on access, outcomes and experience, and at least one "you said, we did" pair', body.recordReviewBody, recordReviewUpdate),
  caseEvent('reschedule', 'Move the due date, with a reason: a new date, or a new go-live date (due six months after it)', body.rescheduleBody, rescheduleReviewUpdate),
  caseEvent('cancel', 'Cancel the review, with a reason: every clock stops', body.cancelBody, cancelReviewUpdate),
  // On a recorded review: its finished workflow is resumed for it.
  caseEvent('feedback', 'Record that "you said, we did" went back to those who took part: when, how, and to whom as a group', body.feedbackBody, feedbackUpdate, { revives: true }),
];
