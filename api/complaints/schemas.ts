import { COMMUNICATION_NEEDS, COMPLAINT_SOURCES } from '../../models/complaint';
import {
  COMPLAINT_METHODS,
  COMPLAINT_OUTCOMES,
  COMPLAINT_STATUSES,
  FOLLOW_ON,
  HANDLERS,
  HOLD_REASONS,
  RESPONSE_PERIODS,
} from '../../workflows/complaint/constants';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { codingBody } from './coding';
import { madeBy, patientBody, representationProblems, representativeBody } from './representation';
import { freeText, isoDate, nullableDate, pastDate, queryFlag, z } from '../zod';

export const referenceParams = z.object({
  reference: z
    .string()
    .regex(/^CMP-\d{4}-\d{6}$/, 'must look like CMP-2026-000123')
    .openapi({ param: { name: 'reference', in: 'path' }, example: 'CMP-2026-000123' }),
});

const text = (max: number) => freeText(max, 1);

export const createComplaintBody = z
  .object({
    providerCode: z.string().trim().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RJ2').openapi({ example: 'RJ2' }),
    receivedAt: pastDate,
    source: z.enum(COMPLAINT_SOURCES),
    /** Free text, optional since the KO41a coding (`coding`) took its place. */
    category: text(100).optional().openapi({ example: 'communication' }),
    summary: text(5000),
    consentToShare: z.boolean(),
    complainant: z
      .object({
        name: text(200),
        email: z.email().optional(),
        phone: freeText(40).optional(),
        address: freeText(500).optional(),
      })
      .strict()
      .optional(),
    madeBy: madeBy.optional(),
    patient: patientBody.optional(),
    representative: representativeBody.optional(),
    coding: codingBody.optional(),
    communicationNeeds: z.array(z.enum(COMMUNICATION_NEEDS)).max(COMMUNICATION_NEEDS.length).default([]),
    communicationNotes: freeText(1000).optional(),
    leadBody: freeText(200).optional(),
    otherBodies: z.array(z.object({ name: text(200), contribution: freeText(1000).optional() }).strict()).max(10).default([]),
    /** How it was made; an oral complaint is written down (its summary) and may be resolved informally (reg 8). */
    method: z.enum(COMPLAINT_METHODS).default('written'),
    /** Reg 12: when the matter complained about happened, and when the complainant became aware of it. */
    matterOccurredOn: pastDate.optional(),
    becameAwareOn: pastDate.optional(),
    /** A safeguarding concern: the safeguarding lead is notified at once. */
    safeguardingConcern: z.boolean().default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    const after = (field: 'matterOccurredOn' | 'becameAwareOn', date: string | undefined, than: string, what: string) => {
      if (date && date > than) ctx.addIssue({ code: 'custom', path: [field], message: `cannot be after ${what} (${than})` });
    };
    after('matterOccurredOn', body.matterOccurredOn, body.receivedAt, 'receipt');
    after('becameAwareOn', body.becameAwareOn, body.receivedAt, 'receipt');
    if (body.matterOccurredOn && body.becameAwareOn && body.becameAwareOn < body.matterOccurredOn) {
      ctx.addIssue({ code: 'custom', path: ['becameAwareOn'], message: `cannot be before the matter occurred (${body.matterOccurredOn})` });
    }
    // Reg 5: who complains for whom (./representation.ts); each problem names its field.
    for (const p of representationProblems(body)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  })
  .openapi('CreateComplaint');

export const listComplaintsQuery = z
  .object({
    status: z.enum([...COMPLAINT_STATUSES, 'open']).optional().openapi({ description: '`open` = not closed, referred or completed' }),
    provider: z.string().trim().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RJ2').optional(),
    overdue: queryFlag().optional().openapi({ description: 'Open cases whose next deadline is before today (true, or the flag alone), or not (false)' }),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

export const acknowledgeBody = z
  .object({
    acknowledgedOn: pastDate,
    /** A response date agreed with the complainant; default 25 working days after acknowledgement. */
    responseDueOn: isoDate.optional(),
    /** Reg 13(2): the day the complainant was offered a discussion of how the complaint will be handled. */
    discussionOfferedOn: pastDate.optional(),
    /** Reg 13(3)/(4): whether the response period was agreed with the complainant (default: when a date is given) or set by the commissioner. */
    responsePeriod: z.enum(RESPONSE_PERIODS).optional(),
    /** Reg 14(1)(b): how often the complainant is to hear how it is going, in working days (default 20). */
    updateEveryWorkingDays: z.number().int().min(5).max(60).optional(),
  })
  .strict()
  .openapi('Acknowledge');
export const consentBody = z.object({ consentToShare: z.boolean(), recordedOn: pastDate }).strict().openapi('Consent');
export const providerRequestBody = z
  .object({ requestedOn: pastDate, workingDays: z.number().int().min(1).max(60).optional() })
  .strict()
  .openapi('ProviderAccountRequest');
export const providerResponseBody = z.object({ receivedOn: pastDate }).strict().openapi('ProviderAccount');
export const extendBody = z
  .object({
    newDueOn: isoDate,
    reason: text(1000),
    complainantAgreed: z.literal(true, { error: 'an extension needs the complainant’s agreement' }),
    agreedOn: pastDate,
  })
  .strict()
  .openapi('Extension');
export const respondBody = z.object({ respondedOn: pastDate }).strict().openapi('Response');
export const closeBody = z
  .object({
    closedOn: pastDate,
    outcome: z.enum(COMPLAINT_OUTCOMES),
    lessonsLearned: text(5000),
    /** Work the complaint calls for beyond its answer: an insight visit, an action plan (linked when opened). */
    followOn: z.array(z.enum(FOLLOW_ON)).max(FOLLOW_ON.length).optional(),
  })
  .strict()
  .openapi('Closure');
export const complainantUpdateBody = z
  .object({ sentOn: pastDate, note: freeText(1000).optional() })
  .strict()
  .openapi('ComplainantUpdate');
export const reopenBody = z
  .object({ reopenedOn: pastDate, reason: text(1000), responseDueOn: isoDate })
  .strict()
  .openapi('Reopening');
export const withdrawBody = z.object({ withdrawnOn: pastDate, reason: text(1000) }).strict().openapi('Withdrawal');
export const ombudsmanReferralBody = z.object({ referredOn: pastDate }).strict().openapi('OmbudsmanReferral');

export const holdBody = z
  .object({ heldOn: pastDate, reason: z.enum(HOLD_REASONS), note: freeText(1000).optional() })
  .strict()
  .openapi('Hold', { description: 'Pause the response clock while the police, a coroner or legal action takes its course' });
export const resumeBody = z.object({ resumedOn: pastDate }).strict().openapi('Resumption');
export const handlingBody = z
  .object({ decidedOn: pastDate, handledBy: z.enum(HANDLERS) })
  .strict()
  .openapi('Handling', { description: 'Reg 7(4)/(5): the commissioner handles the complaint itself, or passes it, with consent, to the provider' });
export const informalResolutionBody = z
  .object({ resolvedOn: pastDate, note: freeText(1000).optional() })
  .strict()
  .openapi('InformalResolution', { description: 'Reg 8: an oral complaint resolved to the complainant’s satisfaction by the next working day' });
export const timeLimitBody = z
  .object({ decidedOn: pastDate, investigate: z.boolean(), reason: text(1000) })
  .strict()
  .openapi('TimeLimitDecision', { description: 'Reg 12(4): whether a complaint made after the time limit is investigated anyway, and why' });
export const leadBodyBody = z
  .object({
    agreedOn: pastDate,
    leadBody: text(200).openapi({ example: 'NHS Anytown Integrated Care Board' }),
    /** The date the lead body will respond by: the case's response date from now on. */
    responseDueOn: isoDate,
    contributions: z.array(z.object({ body: text(200), dueOn: isoDate }).strict()).max(10).default([]),
  })
  .strict()
  .openapi('LeadBody', { description: 'Reg 9: another body leads the handling; the case follows its dates' });
export const contributionBody = z
  .object({ contribution: z.number().int().min(1).max(10), receivedOn: pastDate })
  .strict()
  .openapi('Contribution');
export const ombudsmanInvestigationBody = z.object({ openedOn: pastDate }).strict().openapi('OmbudsmanInvestigation');
export const ombudsmanDraftBody = z
  .object({ receivedOn: pastDate, commentsDueOn: isoDate })
  .strict()
  .openapi('OmbudsmanDraftReport');
export const ombudsmanCommentsBody = z.object({ sentOn: pastDate }).strict().openapi('OmbudsmanComments');
export const ombudsmanFinalBody = z
  .object({
    receivedOn: pastDate,
    finding: z.enum(COMPLAINT_OUTCOMES),
    recommendations: z.array(z.object({ summary: text(1000), dueOn: isoDate }).strict()).max(20).default([]),
  })
  .strict()
  .openapi('OmbudsmanFinalReport');
export const ombudsmanComplianceBody = z
  .object({ recommendation: z.number().int().min(1).max(20), metOn: pastDate, evidence: text(2000) })
  .strict()
  .openapi('OmbudsmanCompliance', { description: 'Evidence that one of the Ombudsman’s recommendations was met' });

export const complaintDashboardQuery = z
  .object({ provider: z.string().trim().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RJ2').optional() })
  .strict();

const dashboardCounts = z
  .object(Object.fromEntries([...COMPLAINT_STATUSES, 'open', 'overdue'].map((cell) => [cell, z.number().int()])))
  .openapi('ComplaintCounts', { description: 'Cases by status; open (not yet closed); overdue (open, next deadline before today)' });

export const complaintDashboard = z
  .object({
    today: isoDate,
    all: dashboardCounts,
    providers: z.array(z.object({ providerCode: z.string(), name: z.string().nullable(), counts: dashboardCounts })),
  })
  .openapi('ComplaintDashboard');

export type ComplaintDashboardQuery = z.infer<typeof complaintDashboardQuery>;
export type CreateComplaintBody = z.infer<typeof createComplaintBody>;
export type ListComplaintsQuery = z.infer<typeof listComplaintsQuery>;

export const complaintView = z
  .object({
    reference: z.string(),
    providerCode: z.string(),
    source: z.enum(COMPLAINT_SOURCES),
    receivedAt: isoDate,
    category: z.string().nullable(),
    coding: codingBody,
    status: z.string(),
    consentToShare: z.boolean(),
    acknowledgeBy: isoDate,
    nextDueOn: nullableDate,
    nextDeadlineKind: z.string().nullable(),
    overdue: z.boolean(),
    communicationNeeds: z.array(z.string()),
    deadlines: z.record(z.string(), deadlineView),
    outcome: z.string().nullable(),
  })
  .openapi('ComplaintSummary');

export const complaintDetail = complaintView
  .extend({
    summary: z.string().optional().openapi({ description: 'The complaint in the complainant’s words: for the quality team and administrators only' }),
    links: z.array(z.object({ kind: z.string(), reference: z.string() })).openapi({ description: 'Cases that follow this one up (an insight visit, an action plan)' }),
    redacted: z.array(z.string()).optional().openapi({ description: 'The personal details withheld from the caller’s role' }),
    complainant: z.object({ name: z.string() }).passthrough().optional(),
    madeBy: madeBy.optional(),
    patient: patientBody.optional(),
    representative: representativeBody.optional(),
    live: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Live workflow state (Temporal query), null if unreachable' }),
    timeline: z.array(timelineEntryView),
  })
  .openapi('Complaint');

export const complaintPage = z
  .object({ items: z.array(complaintView), page: z.number(), pageSize: z.number(), total: z.number() })
  .openapi('ComplaintPage');
