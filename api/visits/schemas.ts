import { DEFAULTS, PANEL_ROLES, REQUIRED_PANEL_ROLES, VISIT_REASONS, VISIT_STATUSES } from '../../contracts/visit/constants';
import { londonDate } from '../../lib/calendar';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { caseReference, caseReferenceParams, freeText, isoDate, nullableDate, odsCode, queryFlag, staffId, z } from '../../lib/zod';
import { VISIT } from '../../contracts/visit/definitions';
import { text } from '../../contracts/visit/inputs';
import { stateFields } from '../kernel/freshness';
import { pageFields, pagingQuery } from '../kernel/paging';

export const referenceParams = caseReferenceParams(VISIT.prefix);

const complaintReference = caseReference('CMP');

const ROLE_NAMES: Record<(typeof REQUIRED_PANEL_ROLES)[number], string> = { lay_member: 'lay member', patient_representative: 'patient representative' };

export const panelMember = z
  .object({
    name: text(200),
    role: z.enum(PANEL_ROLES),
    /** Where the panel's reminders go (the mailer's visit_panel role). */
    email: z.email().optional(),
    /** Members of staff by the id they act under, so that a reviewer can be told apart from the panel. */
    staffId: staffId.optional(),
  })
  .strict()
  .openapi('PanelMember');

export const createVisitBody = z
  .object({
    providerCode: odsCode.openapi({ example: 'RJ2' }),
    service: text(200).openapi({ example: 'Ward 7 (older people’s care)', description: 'The service or ward visited' }),
    reasons: z.array(z.enum(VISIT_REASONS)).min(1, 'give at least one reason').max(VISIT_REASONS.length),
    /** What prompted the visit; may name people, so it stays in the record. */
    concerns: freeText(5000).optional(),
    linkedComplaints: z.array(complaintReference).max(20).default([]).openapi({ description: 'Complaint cases the visit follows up (each must exist); linked both ways' }),
    announced: z.boolean(),
    /** From today on; an unannounced visit may be logged after it took place (how long after: ./service.ts). */
    visitDate: isoDate.openapi({ description: `From today on; an unannounced visit may be logged up to ${DEFAULTS.loggedAfterWorkingDays} working days after it took place` }),
    panel: z.array(panelMember).min(2).max(12),
    /** Announced visits: how many working days ahead the provider is told (default 10, about two weeks). */
    noticeWorkingDays: z.number().int().min(3).max(30).optional(),
    /** Working days after the visit the draft report is due (default 15). */
    draftReportWorkingDays: z.number().int().min(5).max(60).optional(),
    /** The provider's factual-accuracy window, in working days (default 10). */
    factualAccuracyWorkingDays: z.number().int().min(5).max(30).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const missing = REQUIRED_PANEL_ROLES.filter((role) => !body.panel.some((m) => m.role === role));
    if (missing.length) {
      ctx.addIssue({ code: 'custom', path: ['panel'], message: `the panel must include at least one lay member and one patient representative: it has no ${missing.map((r) => ROLE_NAMES[r]).join(' and no ')}` });
    }
    const ids = body.panel.flatMap((m, i) => (m.staffId ? [[m.staffId, i] as const] : []));
    for (const [id, i] of ids) {
      if (ids.find(([other]) => other === id)![1] !== i) ctx.addIssue({ code: 'custom', path: ['panel', i, 'staffId'], message: `${id} is on the panel already` });
    }
    // A visit is planned ahead; an unannounced one is often logged after it took place.
    if (body.announced && body.visitDate < londonDate(Date.now())) {
      ctx.addIssue({ code: 'custom', path: ['visitDate'], message: 'cannot be in the past: only an unannounced visit may be logged after it took place' });
    }
    if (!body.announced && body.noticeWorkingDays !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['noticeWorkingDays'], message: 'an unannounced visit gives the provider no notice' });
    }
    const seen = new Set<string>();
    body.linkedComplaints.forEach((ref, i) => {
      if (seen.has(ref)) ctx.addIssue({ code: 'custom', path: ['linkedComplaints', i], message: `${ref} is listed twice` });
      seen.add(ref);
    });
  })
  .openapi('CreateVisit');

export const listVisitsQuery = z
  .object({
    status: z.enum([...VISIT_STATUSES, 'open']).optional().openapi({ description: '`open` = planned up to the final report' }),
    provider: odsCode.optional(),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM').optional().openapi({ description: 'Visits planned for this month (YYYY-MM), by visit date' }),
    overdue: queryFlag().optional().openapi({ description: 'Open visits whose next deadline is before today (true, or the flag alone), or not (false)' }),
    ...pagingQuery,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.month && q.overdue !== undefined) ctx.addIssue({ code: 'custom', path: ['overdue'], message: 'a month lists visits by their date; overdue applies to the other lists' });
  });

export type CreateVisitBody = z.infer<typeof createVisitBody>;
export type ListVisitsQuery = z.infer<typeof listVisitsQuery>;

const link = z.object({ kind: z.string(), reference: z.string() }).openapi('CaseLink');

export const visitView = z
  .object({
    reference: z.string(),
    providerCode: z.string(),
    service: z.string(),
    reasons: z.array(z.enum(VISIT_REASONS)),
    announced: z.boolean(),
    plannedOn: isoDate,
    visitDate: isoDate,
    status: z.string(),
    nextDueOn: nullableDate,
    nextDeadlineKind: z.string().nullable(),
    overdue: z.boolean(),
    deadlines: z.record(z.string(), deadlineView),
    links: z.array(link).openapi({ description: 'The cases it names: complaints it follows up (`complaint`, `CMP-…`) and, once opened, the action plan its recommendations start (`action_plan`, `CAP-…`)' }),
  })
  .openapi('VisitSummary');

export const visitDetail = visitView
  .extend({
    concerns: z.string().nullable(),
    panel: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(PANEL_ROLES), email: z.string().optional() })),
    ...stateFields,
    timeline: z.array(timelineEntryView),
  })
  .openapi('Visit');

export const visitPage = z
  .object({ items: z.array(visitView), ...pageFields, total: z.number() })
  .openapi('VisitPage');
