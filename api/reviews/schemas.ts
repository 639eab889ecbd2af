import { addCalendarMonths, isIsoDate, LAST_SUPPORTED_YEAR } from '../../lib/calendar';
import { ASSESSMENTS, DEFAULTS, FEEDBACK_METHODS, REVIEW_STATUSES } from '../../workflows/review/constants';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { freeText, httpLink, isoDate, nullableDate, pastDate, queryFlag, staffId, z } from '../zod';

export const referenceParams = z.object({
  reference: z
    .string()
    .regex(/^PIR-\d{4}-\d{6}$/, 'must look like PIR-2026-000123')
    .openapi({ param: { name: 'reference', in: 'path' }, example: 'PIR-2026-000123' }),
});

const text = (max: number) => freeText(max, 1);

const assessment = z
  .object({ completed: z.boolean(), link: httpLink.optional() })
  .strict()
  .openapi('Assessment', { description: 'Whether the assessment was completed before go-live, and where it is kept' });

/** A go-live whose review falls due in a year the working-day calendar knows. */
const goLiveDate = isoDate.refine((value) => !isIsoDate(value) || Number(addCalendarMonths(value, DEFAULTS.reviewMonths).slice(0, 4)) <= LAST_SUPPORTED_YEAR, {
  message: `its review would fall due after ${LAST_SUPPORTED_YEAR}, past the years the working-day calendar knows`,
});

export const createReviewBody = z
  .object({
    serviceName: text(200).openapi({ example: 'Community diabetes clinic, Bexley' }),
    whatChanged: text(5000),
    /** In the past when the review is scheduled late: its due date may then be near or past. */
    goLiveOn: goLiveDate,
    owner: z
      .object({
        id: staffId,
        name: text(200),
        email: z.email().optional(),
        lineManager: z.object({ name: text(200), email: z.email().optional() }).strict().optional(),
      })
      .strict(),
    assessments: z.object({ equalityImpact: assessment, qualityImpact: assessment, engagementLog: assessment }).strict(),
    patientEngagement: text(5000).openapi({ description: 'The patient engagement that shaped the redesign' }),
    remindDaysBefore: z
      .array(z.number().int().min(1).max(120))
      .min(1)
      .max(5)
      .optional()
      .openapi({ description: `Calendar days before the due date to remind the owner (default ${DEFAULTS.remindDaysBefore.join(' and ')})` }),
    escalateEveryWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .openapi({ description: `Once overdue, escalate again every this many working days (default ${DEFAULTS.escalateEveryWorkingDays})` }),
  })
  .strict()
  .openapi('ScheduleReview');

const WINDOW = /^(\d{1,3})([dw])$/;

export const listReviewsQuery = z
  .object({
    owner: staffId.optional(),
    status: z.enum([...REVIEW_STATUSES, 'open']).optional().openapi({ description: '`open` = scheduled, due or overdue' }),
    due: z
      .string()
      .regex(WINDOW, 'must be a window such as 30d or 6w')
      .transform((v) => {
        const [, n, unit] = WINDOW.exec(v)!;
        return Number(n) * (unit === 'w' ? 7 : 1);
      })
      .optional()
      .openapi({ type: 'string', example: '30d', description: 'Open reviews due from today to this many days (d) or weeks (w) ahead' }),
    overdue: queryFlag().optional().openapi({ description: 'Open reviews due before today (true, or the flag alone), or not (false)' }),
    missingAssessments: z
      .enum(['', 'true'], { message: 'ask for missingAssessments=true (or the flag alone): the reviews whose service went live without its EIA, QIA or engagement log' })
      .transform(() => true as const)
      .optional()
      .openapi({ type: 'string', description: 'true: every review whose service went live without its EIA, QIA or engagement log, by due date (on its own: not with owner, status, due or overdue)' }),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.due !== undefined && q.overdue !== undefined) ctx.addIssue({ code: 'custom', path: ['due'], message: 'ask for a due window or for overdue, not both' });
    if (q.missingAssessments && (q.owner ?? q.status ?? q.due ?? q.overdue) !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['missingAssessments'], message: 'lists every review whose service went live without an assessment, by due date: ask for it on its own' });
    }
  });

export const calendarQuery = z.object({ owner: staffId }).strict();

export const engagementReportQuery = z
  .object({
    year: z.coerce
      .number()
      .int()
      .min(2015)
      .max(LAST_SUPPORTED_YEAR)
      .openapi({ type: 'integer', example: 2026, description: 'The financial year that starts on 1 April of this year and ends on 31 March of the next (the annual report and accounts’)' }),
    half: z
      .enum(['1'], { message: 'the mid-year review is the first half of the year: half=1 (April to September)' })
      .transform(() => 1 as const)
      .optional()
      .openapi({ type: 'string', description: '1: the mid-year review, the first half of the financial year (1 April to 30 September)' }),
  })
  .strict();

const pair = z.object({ youSaid: text(1000), weDid: text(1000) }).strict().openapi('YouSaidWeDid');

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

export type CreateReviewBody = z.infer<typeof createReviewBody>;
export type ListReviewsQuery = z.infer<typeof listReviewsQuery>;
export type CalendarQuery = z.infer<typeof calendarQuery>;
export type EngagementReportQuery = z.infer<typeof engagementReportQuery>;

const assessmentView = z.object({ completed: z.boolean(), link: z.string().optional() });
const feedbackView = z.object({ givenOn: isoDate, method: z.enum(FEEDBACK_METHODS), to: z.string() }).openapi('ReviewFeedbackGiven');

export const reviewView = z
  .object({
    reference: z.string(),
    serviceName: z.string(),
    goLiveOn: isoDate,
    scheduledOn: isoDate,
    dueOn: isoDate,
    owner: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(REVIEW_STATUSES),
    overdue: z.boolean().openapi({ description: 'Open, and due before today' }),
    reviewedOn: nullableDate,
    missingAssessments: z
      .array(z.enum(ASSESSMENTS))
      .openapi({ description: 'The forms the service went live without (Bexley requires the EIA, the QIA and the engagement log at the start of planning): empty when none' }),
    deadlines: z.record(z.string(), deadlineView),
  })
  .openapi('ReviewSummary');

/**
 * Who else may change a review: commissioners an administrator gives it to, by the subject their
 * sign-in token carries (compared exactly), replacing the list there was.
 */
export const delegatesBody = z
  .object({
    delegates: z
      .array(z.object({ id: z.string().trim().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be a sign-in subject: printable characters, no spaces'), name: text(200) }).strict())
      .max(20),
  })
  .strict()
  .openapi('ReviewDelegates');
export type DelegatesBody = z.infer<typeof delegatesBody>;

export const reviewDetail = reviewView
  .extend({
    whatChanged: z.string(),
    delegates: z.array(z.object({ id: z.string(), name: z.string() })),
    owner: z.object({ id: z.string(), name: z.string(), email: z.string().optional(), lineManager: z.object({ name: z.string() }).passthrough().optional() }),
    assessments: z.object({ equalityImpact: assessmentView, qualityImpact: assessmentView, engagementLog: assessmentView }),
    patientEngagement: z.string(),
    effects: z.object({ access: z.string(), outcomes: z.string(), experience: z.string() }).nullable(),
    youSaidWeDid: z.array(pair),
    feedback: z.array(feedbackView).openapi({ description: 'Each time "you said, we did" went back to those who took part' }),
    live: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Live workflow state (Temporal query), null if unreachable' }),
    timeline: z.array(timelineEntryView),
  })
  .openapi('Review');

export const reviewPage = z
  .object({ items: z.array(reviewView), page: z.number(), pageSize: z.number(), total: z.number() })
  .openapi('ReviewPage');

export const engagementReport = z
  .object({
    year: z.number().openapi({ description: 'The financial year: 2026 is 1 April 2026 to 31 March 2027' }),
    half: z.literal(1).nullable().openapi({ description: '1 for the mid-year review (April to September); null for the whole year' }),
    from: isoDate,
    to: isoDate,
    missingAssessments: z
      .object({ reviews: z.number().int(), equalityImpact: z.number().int(), qualityImpact: z.number().int(), engagementLog: z.number().int() })
      .openapi({ description: 'Of the period’s reviews: how many went live without at least one of the EIA, QIA and engagement log, and without each' }),
    fedBack: z.number().int().openapi({ description: 'Of the period’s reviews: how many have had "you said, we did" fed back to those who took part' }),
    reviews: z.array(
      z.object({
        reference: z.string(),
        serviceName: z.string(),
        goLiveOn: isoDate,
        reviewedOn: isoDate,
        owner: z.string(),
        effects: z.object({ access: z.string(), outcomes: z.string(), experience: z.string() }),
        youSaidWeDid: z.array(pair),
        missingAssessments: z.array(z.enum(ASSESSMENTS)).openapi({ description: 'The forms the service went live without' }),
        feedback: z.array(feedbackView).openapi({ description: 'Each time "you said, we did" went back to those who took part' }),
      }),
    ),
  })
  .openapi('EngagementReport');
