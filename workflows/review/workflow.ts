import { caseIO } from '../kernel/io';
import { runCase } from '../kernel/run-case';
import { initialState, reviewRules } from './case';
import { DEFAULTS, REVIEW, ReviewState, ReviewWorkflowInput, snapshotQuery, stateQuery } from './definitions';
import { planReview, reviewHandlers } from './handlers';

/**
 * One six-month post-implementation review, from the day it is scheduled to the day it is
 * recorded or cancelled: it sleeps until its reminders, marks the review due, then overdue,
 * escalating at the set interval until it is recorded.
 */
export async function reviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewState> {
  return runCase<ReviewState, ReviewWorkflowInput>({
    reference: input.reference,
    input,
    initial: () => initialState(input),
    rules: reviewRules,
    io: caseIO<ReviewState>(REVIEW.name),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      // Six calendar months after go-live; a day the month lacks is its last day (31 Aug: end of Feb).
      const deadlines = await planReview(kase, input.goLiveOn, { calendarMonths: DEFAULTS.reviewMonths });
      return kase.change('scheduled', { goLiveOn: input.goLiveOn, scheduledOn: input.scheduledOn, dueOn: deadlines.review.dueOn }, (s) => {
        s.deadlines = deadlines;
      });
    },
    handlers: reviewHandlers,
  });
}
