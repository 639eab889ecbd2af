import type { Arming } from '../kernel/alarms';
import { notBefore, refuse } from '../../contracts/kernel/case';
import type { AlarmTable, CaseRules } from '../kernel/run-case';
import { CancelInput, DEFAULTS, FeedbackInput, MAX_FEEDBACK, RecordReviewInput, REVIEW, RescheduleInput, ReviewState, ReviewWorkflowInput } from '../../contracts/review/definitions';

/**
 * The review's rules: which events fit which state, and which deadlines each state arms. Pure
 * and deterministic: the workflow wires them to handlers and timers, activities persist them.
 */

export function initialState(input: ReviewWorkflowInput): ReviewState {
  return {
    reference: input.reference,
    ownerId: input.ownerId,
    goLiveOn: input.goLiveOn,
    scheduledOn: input.scheduledOn,
    status: 'scheduled',
    remindDaysBefore: [...(input.remindDaysBefore ?? DEFAULTS.remindDaysBefore)],
    escalateEveryWorkingDays: input.escalateEveryWorkingDays ?? DEFAULTS.escalateEveryWorkingDays,
    deadlines: {},
    reschedulings: [],
    ...(input.missingAssessments?.length && { missingAssessments: [...input.missingAssessments] }),
  };
}

const isOpen = (s: ReviewState) => REVIEW.open.includes(s.status);

const ALARMS: AlarmTable<ReviewState> = {
  reminder: { event: 'reminder_sent', notify: true },
  due: { event: 'review_due', notify: true, apply: (s) => (s.status = 'due') },
  escalation: { event: 'escalated', notify: true, apply: (s) => (s.status = 'overdue') },
};

export const reviewRules: CaseRules<ReviewState> = {
  armed: (s): Arming[] =>
    isOpen(s)
      ? [
          { deadline: 'review', onDue: 'due' },
          { deadline: 'review_overdue', onDue: 'escalation' },
        ]
      : [],
  finished: (s) => REVIEW.finished.includes(s.status),
  alarms: ALARMS,
};

/** Validators: each refuses an event that does not fit the current state, saying why. */
export class ReviewCase {
  constructor(readonly state: ReviewState) {}

  private checkOpen(what: string): void {
    if (!isOpen(this.state)) refuse(`${what} needs a review still to be recorded (it is ${this.state.status})`);
  }

  checkRecord(input: RecordReviewInput): void {
    this.checkOpen('recording the review');
    notBefore(input.reviewedOn, this.state.goLiveOn, 'the review', 'go-live');
    // docs/processes/review.md: the review measures how patients' voice led to improvements.
    if (!input.youSaidWeDid.length) refuse('a review is complete only with at least one "you said, we did" pair');
  }

  checkReschedule(input: RescheduleInput): void {
    this.checkOpen('rescheduling');
    notBefore(input.rescheduledOn, this.state.scheduledOn, 'the rescheduling', 'scheduling');
    if (input.dueOn) this.checkNewDueDate(input.dueOn, input.rescheduledOn);
  }

  /** A new due date (agreed, or six months after a new go-live) must lie ahead, and differ. */
  checkNewDueDate(dueOn: string, rescheduledOn: string): void {
    if (dueOn <= rescheduledOn) refuse(`the new due date (${dueOn}) must be after the day it is rescheduled (${rescheduledOn})`);
    if (dueOn === this.state.deadlines.review?.dueOn) refuse(`the review is already due on ${dueOn}`);
  }

  /**
   * "You said, we did" goes back to those who took part once the review is recorded (Bromley:
   * "Always actively feedback to people who are involved"): not before the day it was recorded.
   */
  checkFeedback(input: FeedbackInput): void {
    const s = this.state;
    if (s.status !== 'completed') {
      refuse(isOpen(s) ? `feedback goes back once the review is recorded: record the review first (it is ${s.status})` : `feedback goes back on a recorded review (it is ${s.status})`);
    }
    notBefore(input.givenOn, s.reviewedOn, 'the feedback', 'the review');
    if ((s.feedback?.length ?? 0) >= MAX_FEEDBACK) refuse(`feedback has been recorded ${MAX_FEEDBACK} times already`);
  }

  /** A commissioner's note: on a review scheduled or recorded, never a cancelled one, and not dated before it was scheduled. */
  checkNote(input: { notedOn: string }): void {
    if (this.state.status === 'cancelled') refuse('the review was cancelled: a note goes on a review still to be recorded, or recorded');
    notBefore(input.notedOn, this.state.scheduledOn, 'the note', 'scheduling');
  }

  checkCancel(input: CancelInput): void {
    this.checkOpen('cancelling');
    notBefore(input.cancelledOn, this.state.scheduledOn, 'the cancellation', 'scheduling');
  }
}
