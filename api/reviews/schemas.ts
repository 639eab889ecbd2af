import { LAST_SUPPORTED_YEAR } from '../../lib/calendar';
import { ASSESSMENTS, DEFAULTS, FEEDBACK_METHODS, REVIEW_STATUSES } from '../../contracts/review/constants';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { caseReferenceParams, documentId, flagValues, httpLink, isoDate, nullableDate, odsCode, queryFlag, staffId, z } from '../../lib/zod';
import { REVIEW } from '../../contracts/review/definitions';
import { goLiveDate, pair, text } from '../../contracts/review/inputs';
import { stateFields } from '../kernel/freshness';
import { pageFields, pagingQuery } from '../kernel/paging';

export const referenceParams = caseReferenceParams(REVIEW.prefix);

const assessment = z
  .object({ completed: z.boolean(), link: httpLink.optional() })
  .strict()
  .openapi('Assessment', { description: 'Whether the assessment was completed before go-live, and where it is kept' });

/** A go-live whose review falls due in a year the working-day calendar knows. */
export const createReviewBody = z
  .object({
    serviceName: text(200).openapi({ example: 'Community diabetes clinic, Bexley' }),
    providerCode: odsCode
      .optional()
      .openapi({ example: 'RJ2', description: "The provider running the redesigned service: its CQRG pack lists the review when due" }),
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
    missingAssessments: flagValues(['', 'true'], 'ask for missingAssessments=true (or the flag alone): the reviews whose service went live without its EIA, QIA or engagement log')
      .transform(() => true as const)
      .optional()
      .openapi({ type: 'string', description: 'true: every review whose service went live without its EIA, QIA or engagement log, by due date (on its own: not with owner, status, due or overdue)' }),
    ...pagingQuery,
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
    // A yes-or-no flag as the lists' are (lib/zod.ts queryFlag): given alone (`&half`, as a link or a
    // typed address gives it) it means yes; the page's radios send 1 or 0.
    half: z
      .enum(['', '1', 'true', '0', 'false'], { message: 'the mid-year review is the first half of the year: half=1 (April to September), or half=0 for the year; the flag alone means 1' })
      .transform((v) => (v === '0' || v === 'false' ? undefined : (1 as const)))
      .optional()
      .openapi({ type: 'string', enum: ['1', '0'], description: '1 (or the flag alone): the mid-year review, the first half of the financial year (1 April to 30 September); 0: the year' }),
  })
  .strict();

export type CreateReviewBody = z.infer<typeof createReviewBody>;
export type ListReviewsQuery = z.infer<typeof listReviewsQuery>;
export type CalendarQuery = z.infer<typeof calendarQuery>;
export type EngagementReportQuery = z.infer<typeof engagementReportQuery>;

const assessmentView = z.object({
  completed: z.boolean(),
  link: z.string().optional(),
  document: z.object({ id: z.string(), filename: z.string() }).optional().openapi({ description: 'The form itself, a document of the review (GET /api/documents/:id)' }),
});

/** Which assessment a document is the form of (Bexley: the forms are attached to the review). */
export const assessmentParams = referenceParams.extend({ assessment: z.enum(ASSESSMENTS).openapi({ param: { name: 'assessment', in: 'path' } }) });
export const assessmentDocumentBody = z
  .object({ document: documentId.openapi({ description: 'A document already uploaded to this review (POST …/documents), by id' }) })
  .strict()
  .openapi('AssessmentDocument', { description: 'The EIA, QIA or engagement log itself: a document of the review, held by the assessment' });
export type AssessmentDocumentBody = z.infer<typeof assessmentDocumentBody>;
const feedbackView = z.object({ givenOn: isoDate, method: z.enum(FEEDBACK_METHODS), to: z.string() }).openapi('ReviewFeedbackGiven');

export const reviewView = z
  .object({
    reference: z.string(),
    serviceName: z.string(),
    providerCode: z.string().nullable(),
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
    ...stateFields,
    timeline: z.array(timelineEntryView),
  })
  .openapi('Review');

export const reviewPage = z
  .object({ items: z.array(reviewView), ...pageFields, total: z.number() })
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
