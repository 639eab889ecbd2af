import type { ReviewState } from '../../contracts/review/definitions';
import { REVIEW_EVENTS as ROWS } from '../../contracts/review/events';
import { caseEvents } from '../kernel/events';

/** The human events of a review: POST /api/reviews/:reference/<path>, one per row of its table (contracts/review/events.ts). */
export const REVIEW_EVENTS = caseEvents<ReviewState, typeof ROWS>(ROWS);
