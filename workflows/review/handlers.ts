import type { CaseKernel } from '../kernel/run-case';
import { REVIEW_UPDATES } from '../../contracts/review/events';
import { ReviewCase } from './case';
import { DEFAULTS, ReviewState } from '../../contracts/review/definitions';

/**
 * The review's two deadlines on one date: `review` with its reminders (calendar days before, on
 * that day or the working day before) and the review marked due that morning; `review_overdue`,
 * escalated the working morning after and again every set interval until it is recorded.
 */
export async function planReview(kase: CaseKernel<ReviewState>, from: string, due: { calendarMonths: number } | { dueOn: string }) {
  const s = kase.state;
  const agreed = 'dueOn' in due ? { agreedWith: 'owner' } : {};
  // Scheduled (or moved) late: a reminder already past is not sent, and a due date already past
  // is acted on from now, in working hours (workflow time: the same on replay).
  const notBefore = new Date().toISOString();
  const review = await kase.plan({ id: 'review', from, ...due, ...agreed, remindCalendarDaysBefore: s.remindDaysBefore, onTheDay: true, notBefore });
  const overdue = await kase.plan({ id: 'review_overdue', from, ...due, ...agreed, repeatEveryWorkingDays: s.escalateEveryWorkingDays, notBefore });
  return { review, review_overdue: overdue };
}

/** The review's human events: each checked by its rule (case.ts), then recorded as one change. */
export function reviewHandlers(kase: CaseKernel<ReviewState>): void {
  const rules = new ReviewCase(kase.state);

  kase.record(REVIEW_UPDATES.record, (i) => rules.checkRecord(i), 'review_recorded', (s, i) => {
    s.status = 'completed';
    s.reviewedOn = i.reviewedOn;
    s.effects = i.effects;
    s.youSaidWeDid = i.youSaidWeDid;
  });

  // A new date re-arms every alarm (their keys name the date); the review is scheduled again.
  kase.on(REVIEW_UPDATES.reschedule, (i) => rules.checkReschedule(i), async (i) => {
    const deadlines = i.goLiveOn
      ? await planReview(kase, i.goLiveOn, { calendarMonths: DEFAULTS.reviewMonths })
      : await planReview(kase, i.rescheduledOn, { dueOn: i.dueOn! });
    rules.checkNewDueDate(deadlines.review.dueOn, i.rescheduledOn);
    const previousDueOn = kase.state.deadlines.review?.dueOn ?? deadlines.review.dueOn;
    const rescheduling = { rescheduledOn: i.rescheduledOn, previousDueOn, dueOn: deadlines.review.dueOn, reason: i.reason, ...(i.goLiveOn && { goLiveOn: i.goLiveOn }) };
    return kase.change('rescheduled', rescheduling, (s) => {
      s.reschedulings.push(rescheduling);
      if (i.goLiveOn) s.goLiveOn = i.goLiveOn;
      s.deadlines = deadlines;
      s.status = 'scheduled';
    });
  });

  // Every clock stops: a cancelled review arms no deadline and its workflow ends.
  kase.record(REVIEW_UPDATES.cancel, (i) => rules.checkCancel(i), 'cancelled', (s, i) => {
    s.status = 'cancelled';
    s.cancelledOn = i.cancelledOn;
    s.cancellationReason = i.reason;
  });

  // On a recorded review, whose workflow has ended: the API resumes it for this event (see
  // Cases.revive); it stays completed and arms nothing.
  kase.record(REVIEW_UPDATES.feedback, (i) => rules.checkFeedback(i), 'feedback_given', (s, i) => {
    s.feedback = [...(s.feedback ?? []), { givenOn: i.givenOn, method: i.method, to: i.to }];
  });

  // A note changes nothing but the timeline, where it is kept with who wrote it.
  kase.record(REVIEW_UPDATES.note, (i) => rules.checkNote(i), 'note_added', () => {});
}
