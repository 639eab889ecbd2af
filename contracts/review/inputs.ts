import { addCalendarMonths, isIsoDate, LAST_SUPPORTED_YEAR } from '../../lib/calendar/dates';
import { DEFAULTS, FEEDBACK_METHODS } from './constants';
import { freeText, isoDate, pastDate, z } from '../../lib/zod';

/**
 * What the six-month review's events carry: the request bodies the API validates (with their OpenAPI names) and, where a
 * body holds staff notes, the input the workflow's Update takes instead (the notes' ids). Shared
 * by the API (api/reviews/events.ts) and the workflow's definitions (./definitions.ts), which takes
 * only their types.
 */
export const text = (max: number) => freeText(max, 1);

export const goLiveDate = isoDate.refine((value) => !isIsoDate(value) || Number(addCalendarMonths(value, DEFAULTS.reviewMonths).slice(0, 4)) <= LAST_SUPPORTED_YEAR, {
  message: `its review would fall due after ${LAST_SUPPORTED_YEAR}, past the years the working-day calendar knows`,
});

export const pair = z.object({ youSaid: text(1000), weDid: text(1000) }).strict().openapi('YouSaidWeDid');

export const recordReviewBody = z
  .object({
    reviewedOn: pastDate,
    effects: z
      .object({ access: text(2000), outcomes: text(2000), experience: text(2000) })
      .strict()
      .openapi({ description: 'The measured effects of the redesign on access, outcomes and experience' }),
    youSaidWeDid: z.array(pair).min(1, 'a review is complete only with at least one "you said, we did" pair').max(30),
  })
  .strict()
  .openapi('RecordReview');

export const rescheduleBody = z
  .object({
    rescheduledOn: pastDate,
    reason: text(1000),
    dueOn: isoDate.optional().openapi({ description: 'A new due date agreed' }),
    goLiveOn: goLiveDate.optional().openapi({ description: 'Or the new go-live date: the review falls due six months after it' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.dueOn === undefined) === (b.goLiveOn === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dueOn'], message: 'give either a new dueOn or a new goLiveOn' });
    }
  })
  .openapi('RescheduleReview');

export const cancelBody = z.object({ cancelledOn: pastDate, reason: text(1000) }).strict().openapi('CancelReview');

/** A group of people, never a person: no email address, no telephone number. */
const group = text(200).refine((v) => !/@/.test(v) && !/(?:\d[ ()-]?){7,}/.test(v), {
  message: 'say who as a group, never a person: no email address or telephone number',
});

export const feedbackBody = z
  .object({
    givenOn: pastDate.openapi({ description: 'When "you said, we did" went back (not before the review was recorded)' }),
    method: z.enum(FEEDBACK_METHODS).openapi({ description: 'How it went back' }),
    to: group.openapi({ description: 'To whom, as a group (e.g. Healthwatch Bexley members): never a person’s name', example: 'Healthwatch Bexley members' }),
  })
  .strict()
  .openapi('ReviewFeedback', { description: '"You said, we did" fed back to the people who took part: when, how and to whom as a group' });
