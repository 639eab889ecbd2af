import type { z } from 'zod';
import type * as body from './inputs';
import { defineCaseQueries, type CaseInput, type CaseProcess, type Deadline, type IsoDate } from '../kernel/case';
import type { ReviewStatus, Assessment, FeedbackMethod } from './constants';
export * from './constants';

/**
 * The six-month post-implementation review's contract: its input, its state and the events the
 * API sends it, each typed by the request's zod schema. Ids, dates, enums and staff-written
 * notes only: the owner is a staff id; their name and email, the service's name and what
 * changed stay in MongoDB.
 */

export const REVIEW: CaseProcess<ReviewStatus> = {
  name: 'review',
  workflowType: 'reviewWorkflow',
  prefix: 'PIR',
  /** Still to be recorded. */
  open: ['scheduled', 'due', 'overdue'],
  /** Recorded, or cancelled: the workflow has run its course (feedback on a recorded one resumes it a while). */
  finished: ['completed', 'cancelled'],
};

/**
 * `review` is the due date itself (its reminders, then the review marked due on the day);
 * `review_overdue` is the same date missed (escalated the next working morning, and again at the
 * set interval until the review is recorded).
 */
export const DEADLINE_IDS = ['review', 'review_overdue'] as const;
export type ReviewDeadline = (typeof DEADLINE_IDS)[number];

export interface Rescheduling {
  rescheduledOn: IsoDate;
  previousDueOn: IsoDate;
  dueOn: IsoDate;
  reason: string;
  goLiveOn?: IsoDate;
}

export type RecordReviewInput = z.infer<typeof body.recordReviewBody>;
export type FeedbackInput = z.infer<typeof body.feedbackBody>;
export type RescheduleInput = z.infer<typeof body.rescheduleBody>;
export type CancelInput = z.infer<typeof body.cancelBody>;

/** The review as a client sees it; the kernel keeps its bookkeeping beside it. */
export interface ReviewState {
  reference: string;
  /** A staff id: what lists and the calendar feed filter on. */
  ownerId: string;
  goLiveOn: IsoDate;
  scheduledOn: IsoDate;
  status: ReviewStatus;
  remindDaysBefore: number[];
  escalateEveryWorkingDays: number;
  deadlines: Partial<Record<ReviewDeadline, Deadline>>;
  reschedulings: Rescheduling[];
  /** The forms the service went live without (none, or a review scheduled before this was known). */
  missingAssessments?: Assessment[];
  reviewedOn?: IsoDate;
  effects?: RecordReviewInput['effects'];
  youSaidWeDid?: RecordReviewInput['youSaidWeDid'];
  /** Each time "you said, we did" went back to those who took part: when, how, and to whom as a group. */
  feedback?: { givenOn: IsoDate; method: FeedbackMethod; to: string }[];
  cancelledOn?: IsoDate;
  cancellationReason?: string;
}

export interface ReviewWorkflowInput extends CaseInput<ReviewState> {
  reference: string;
  ownerId: string;
  goLiveOn: IsoDate;
  /** The day the commissioner scheduled it: a reminder already past by then is not sent. */
  scheduledOn: IsoDate;
  remindDaysBefore?: number[];
  escalateEveryWorkingDays?: number;
  /** The forms the service went live without: raised with the quality lead as it is scheduled. */
  missingAssessments?: Assessment[];
}


export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<ReviewState>();

