import { caseReferenceParams, odsCode, z } from '../../lib/zod';
import { CQRG_MEETING } from '../../contracts/cqrg-meeting/definitions';
import { FREQUENCIES, MEETING_STATUSES, REPORT_THEMES } from '../../contracts/cqrg-meeting/constants';
import { decisionBody } from '../../contracts/cqrg-meeting/inputs';

/** The CQRG meetings' parameters and answers (their request bodies are in contracts/cqrg-meeting/inputs.ts). */
export const referenceParams = caseReferenceParams(CQRG_MEETING.prefix);

export const providerParams = z.object({
  code: odsCode.openapi({ param: { name: 'code', in: 'path' } }),
});

export const emptyQuery = z.object({}).strict();

const date = z.string().openapi({ format: 'date' });

export const reportView = z
  .object({
    theme: z.enum(REPORT_THEMES),
    dueOn: date.nullable(),
    status: z.enum(['due', 'received', 'late', 'missing']),
    receivedOn: date.nullable(),
    receivedLate: z.boolean(),
    documents: z.array(z.string()),
    figures: z.record(z.string(), z.number()),
  })
  .openapi('MeetingReport');

const outcome = z.object({ status: z.enum(['applied', 'refused']), reference: z.string().optional(), action: z.number().optional(), reason: z.string().optional() }).openapi('DecisionOutcome');

export const meetingView = z
  .object({
    reference: z.string(),
    providerCode: z.string(),
    meetingOn: date,
    status: z.enum(MEETING_STATUSES),
    heldOn: date.nullable(),
    reports: z.array(reportView),
    counts: z.object({ due: z.number(), received: z.number(), late: z.number(), missing: z.number() }),
    attendance: z.array(z.object({ role: z.string(), count: z.number() })),
    items: z.array(z.object({ title: z.string(), discussion: z.string() })),
    decisions: z.array(z.object({ n: z.number(), outcome: outcome.nullable() }).and(decisionBody)),
    minutes: z.string().nullable().openapi({ description: 'The minutes, a document of the meeting (GET /api/documents/{id})' }),
  })
  .openapi('CqrgMeeting');

export const meetingDetail = meetingView
  .and(z.object({ deadlines: z.record(z.string(), z.unknown()), live: z.unknown(), state: z.unknown(), freshness: z.unknown(), timeline: z.array(z.unknown()) }))
  .openapi('CqrgMeetingDetail');

export const reportingPlanView = z
  .object({
    providerCode: z.string(),
    meetings: z.array(
      z.object({
        meetingOn: date,
        reports: z.array(z.object({ theme: z.enum(REPORT_THEMES), workingDaysBefore: z.number() })),
        reference: z.string().nullable().openapi({ description: 'The meeting’s case, once opened (by hand, by the plan as it was put, or by the reconciler); else null' }),
        opensOn: date.openapi({ description: 'The day the meeting opens by itself: a fortnight of working days before its earliest report’s first reminder (the next meeting is opened whatever the day)' }),
      }),
    ),
    reports: z.array(z.object({ theme: z.enum(REPORT_THEMES), frequency: z.enum(FREQUENCIES), workingDaysBefore: z.number().nullable().optional(), month: z.number().nullable().optional() })),
  })
  .openapi('ReportingPlanView');

/** A plan saved with work left for the meetings' reconciler (api/cqrg-meetings/plan-put.ts): the 202's body. */
export const reportingPlanAccepted = reportingPlanView
  .extend({
    pending: z.object({
      opening: z.array(date).openapi({ description: 'Meeting dates due to be open that are not: nothing of them was kept; the reconciler opens them' }),
      reports: z.array(z.string()).openapi({ description: 'Meetings open whose reports the change has not reached yet: the reconciler sends it' }),
      message: z.string(),
    }),
  })
  .openapi('ReportingPlanAccepted');

export const cycleView = z
  .object({ last: meetingView.nullable(), next: meetingView.nullable(), nextDate: date.nullable(), plan: z.unknown() })
  .openapi('CqrgMeetingCycle');

export const requestView = z
  .object({ id: z.string(), kind: z.enum(['visit', 'committee']), providerCode: z.string(), meeting: z.string(), decision: z.number(), requestedOn: date, summary: z.string(), service: z.string().nullable() })
  .openapi('MeetingRequest');
