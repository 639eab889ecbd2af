import { COMMUNICATION_NEEDS, COMPLAINT_SOURCES } from '../../models/complaint';
import { COMPLAINT_METHODS, COMPLAINT_STATUSES } from '../../contracts/complaint/constants';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { codingBody } from './coding';
import { madeBy, patientBody, representationProblems, representativeBody } from './representation';
import { caseReferenceParams, freeText, isoDate, nullableDate, odsCode, pastDate, queryFlag, z } from '../../lib/zod';
import { COMPLAINT } from '../../contracts/complaint/constants';
import { text } from '../../contracts/complaint/inputs';
import { stateFields } from '../kernel/freshness';
import { pageFields, pagingQuery } from '../kernel/paging';
import { possiblyRelated } from './related';

export const referenceParams = caseReferenceParams(COMPLAINT.prefix);

export const createComplaintBody = z
  .object({
    providerCode: odsCode,
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
    provider: odsCode.optional(),
    overdue: queryFlag().optional().openapi({ description: 'Open cases whose next deadline is before today (true, or the flag alone), or not (false)' }),
    ...pagingQuery,
  })
  .strict();

export const complaintDashboardQuery = z
  .object({ provider: odsCode.optional() })
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
    communicationNeeds: z.array(z.string()).optional().openapi({ description: 'How the complainant needs to be written to: for the quality team and administrators only' }),
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
    possiblyRelated: possiblyRelated.optional(),
    ...stateFields,
    timeline: z.array(timelineEntryView),
  })
  .openapi('Complaint');

/** The answer to opening a case: the case, and the other complaints about the same person within 24 months. */
export const complaintCreated = complaintView.extend({ possiblyRelated }).openapi('ComplaintCreated');

export const complaintPage = z
  .object({ items: z.array(complaintView), ...pageFields, total: z.number() })
  .openapi('ComplaintPage');
