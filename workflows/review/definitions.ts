import { defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type * as body from '../../api/reviews/schemas';
import type { CaseInput } from '../kernel/run-case';
import { defineCaseQueries, type CaseProcess, type Deadline, type Human, type IsoDate } from '../kernel/contract';

/**
 * The six-month post-implementation review's contract: its input, its state and the events the
 * API sends it, each typed by the request's zod schema. Ids, dates, enums and staff-written
 * notes only: the owner is a staff id; their name and email, the service's name and what
 * changed stay in MongoDB.
 */

export const REVIEW_STATUSES = ['scheduled', 'due', 'overdue', 'completed', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

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

/**
 * The forms Bexley's "Shaping services" requires for every service change, completed at the start
 * of planning, before the decision: the equality impact assessment, the quality impact assessment
 * and the engagement log. A review records whether each was; the workflow knows only which were not.
 */
export const ASSESSMENTS = ['equalityImpact', 'qualityImpact', 'engagementLog'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

/** Each form as a sentence names it, and its short name (a CSV cell, a count). */
export const ASSESSMENT_WORDS: Record<Assessment, { name: string; short: string }> = {
  equalityImpact: { name: 'the equality impact assessment (EIA)', short: 'EIA' },
  qualityImpact: { name: 'the quality impact assessment (QIA)', short: 'QIA' },
  engagementLog: { name: 'the engagement log', short: 'engagement log' },
};

/** The forms a review's service went live without, in the order above. */
export function missingAssessments(assessments: Partial<Record<Assessment, { completed?: boolean | null } | null>> | null | undefined): Assessment[] {
  return ASSESSMENTS.filter((a) => !assessments?.[a]?.completed);
}

export interface Rescheduling {
  rescheduledOn: IsoDate;
  previousDueOn: IsoDate;
  dueOn: IsoDate;
  reason: string;
  goLiveOn?: IsoDate;
}

/**
 * How "you said, we did" went back to those who took part: Bromley's strategy feeds back "via
 * email, phone or face to face, through our website and local media, through workshops and other
 * events and via our quarterly stakeholder bulletin", and at its Annual General Meeting.
 */
export const FEEDBACK_METHODS = ['email', 'phone', 'face_to_face', 'letter', 'workshop_or_event', 'website', 'local_media', 'stakeholder_bulletin', 'annual_general_meeting', 'other'] as const;
export type FeedbackMethod = (typeof FEEDBACK_METHODS)[number];

/** The most feedback entries one review keeps. */
export const MAX_FEEDBACK = 20;

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

export const recordReviewUpdate = defineUpdate<ReviewState, [Human<RecordReviewInput>]>('recordReview');
export const rescheduleReviewUpdate = defineUpdate<ReviewState, [Human<RescheduleInput>]>('rescheduleReview');
export const cancelReviewUpdate = defineUpdate<ReviewState, [Human<CancelInput>]>('cancelReview');
export const feedbackUpdate = defineUpdate<ReviewState, [Human<FeedbackInput>]>('recordFeedback');

export const { state: stateQuery, snapshot: snapshotQuery } = defineCaseQueries<ReviewState>();

export const DEFAULTS = {
  /** docs/processes/review.md: due six calendar months after go-live. */
  reviewMonths: 6,
  /** Four weeks and one week before, as calendar days. */
  remindDaysBefore: [28, 7],
  /** Once overdue, the owner's line manager and the quality lead hear again every week. */
  escalateEveryWorkingDays: 5,
} as const;
