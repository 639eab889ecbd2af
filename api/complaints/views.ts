import { COMPLAINT_SOURCES } from '../../models/complaint';
import { COMPLAINT_STATUSES } from '../../workflows/complaint/constants';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { codingBody } from './coding';
import { madeBy, patientBody, representativeBody } from './representation';
import { isoDate, nullableDate, z } from '../zod';

/** What the complaints API answers: a case, a page of cases, the dashboard's counts. */

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
