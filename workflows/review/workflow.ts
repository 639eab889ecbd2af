import { patched } from '@temporalio/workflow';
import { REVIEW_EVENTS } from '../../contracts/review/events';
import { caseIO } from '../kernel/io';
import { IMPORTED, importedEntryData } from '../../contracts/kernel/imported';
import { patchedSince, runCase } from '../kernel/run-case';
import { initialState, reviewRules } from './case';
import { DEFAULTS, REVIEW, ReviewState, ReviewWorkflowInput, snapshotQuery, stateQuery } from '../../contracts/review/definitions';
import { planReview, reviewHandlers } from './handlers';

/**
 * Since this patch a review whose service went live without its EIA, QIA or engagement log raises
 * it with the quality lead once, as it is scheduled. Asked only on that path: earlier runs had no
 * such input, so never took it.
 */
export const MISSING_ASSESSMENTS_PATCH = 'review-missing-assessments-raised';

/**
 * Since this patch a review brought over from another system (npm run import) opens as its row
 * says: its due date (six months after go-live, or agreed) planned as ever, nothing acting before
 * the working morning after the import. Asked only on that path.
 */
export const IMPORTED_OPEN_PATCH = 'review-opened-imported';

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
      if (input.imported && patched(IMPORTED_OPEN_PATCH)) {
        const { from, actFrom, at } = input.imported;
        const due = at.dueOn ? { dueOn: at.dueOn } : { calendarMonths: DEFAULTS.reviewMonths };
        const deadlines = await planReview(kase, at.dueOn ? input.scheduledOn : input.goLiveOn, due, actFrom);
        const data = importedEntryData(from, { status: 'scheduled', goLiveOn: input.goLiveOn, scheduledOn: input.scheduledOn, dueOn: deadlines.review.dueOn });
        return kase.change(IMPORTED, data, (s) => {
          s.deadlines = deadlines;
        });
      }
      // Six calendar months after go-live; a day the month lacks is its last day (31 Aug: end of Feb).
      const deadlines = await planReview(kase, input.goLiveOn, { calendarMonths: DEFAULTS.reviewMonths });
      // Bexley: the EIA, QIA and engagement log come at the start of planning; a service that went
      // live without one is a finding for the quality lead, raised once, now (keyed by the day).
      const missing = input.missingAssessments ?? [];
      if (missing.length && patchedSince(MISSING_ASSESSMENTS_PATCH)) await kase.alert('missing_assessments', input.scheduledOn);
      const data = { goLiveOn: input.goLiveOn, scheduledOn: input.scheduledOn, dueOn: deadlines.review.dueOn, ...(missing.length && { missingAssessments: missing }) };
      return kase.change('scheduled', data, (s) => {
        s.deadlines = deadlines;
      });
    },
    handlers: reviewHandlers,
    events: REVIEW_EVENTS,
  });
}
