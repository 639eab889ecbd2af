import { caseReference, freeText, isoDate, odsCode, pastDate, staffId, z } from '../../lib/zod';
import { ATTENDEE_ROLES, DECISION_KINDS, FIGURES, FREQUENCIES, LIMITS, REPORT_THEMES, type Figure } from './constants';

/**
 * What a CQRG meeting's requests carry (docs/processes/cqrg-meeting.md): the provider's reporting
 * plan, a meeting opened on its cycle, a report received, the meeting's record. Shared by the API
 * (api/cqrg-meetings/) and the workflow's definitions, which take only their types.
 */
export const text = (max: number) => freeText(max, 1);

const theme = z.enum(REPORT_THEMES).openapi({ description: 'Which report: a CQRG theme, or the Quality Account priorities' });
const planReference = caseReference('CAP');
const documentId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a document id (24 hex digits) of this meeting');

const unique = <T>(values: T[]) => new Set(values).size === values.length;

export const reportLine = z
  .object({
    theme,
    frequency: z.enum(FREQUENCIES).openapi({ description: 'each_meeting; quarterly (the first meeting of each calendar quarter); yearly (the first meeting in `month`)' }),
    workingDaysBefore: z.number().int().min(1).max(40).optional().openapi({ description: 'Due this many local working days before the meeting (default 10)' }),
    month: z.number().int().min(1).max(12).optional().openapi({ description: 'A yearly report: the month whose first meeting it is due for' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.frequency === 'yearly' && r.month === undefined) ctx.addIssue({ code: 'custom', path: ['month'], message: 'a yearly report names the month of the meeting it is due for' });
    if (r.frequency !== 'yearly' && r.month !== undefined) ctx.addIssue({ code: 'custom', path: ['month'], message: 'only a yearly report names a month' });
  })
  .openapi('ReportLine');

export const reportingPlanBody = z
  .object({
    meetings: z
      .array(isoDate)
      .min(1)
      .max(LIMITS.meetings)
      .refine(unique, 'each meeting date once')
      .openapi({ description: 'The provider’s CQRG meeting dates (its cycle), up to 24' }),
    reports: z
      .array(reportLine)
      .min(1)
      .max(LIMITS.reports)
      .refine((lines) => unique(lines.map((l) => l.theme)), 'each theme once')
      .openapi({ description: 'The reports the provider owes: which, how often, how many working days before the meeting' }),
  })
  .strict()
  .openapi('ReportingPlan');

export const openMeetingBody = z
  .object({
    providerCode: odsCode,
    meetingOn: isoDate.openapi({ description: 'One of the meeting dates in the provider’s reporting plan' }),
  })
  .strict()
  .openapi('OpenCqrgMeeting');

const figure = (f: Figure) => {
  const spec = FIGURES[f];
  const n = z.number().min(spec.min).max(spec.max);
  return (spec.integer ? n.int() : n).optional().openapi({ description: spec.label });
};
export const figuresBody = z
  .object(Object.fromEntries(Object.keys(FIGURES).map((f) => [f, figure(f as Figure)])) as Record<Figure, ReturnType<typeof figure>>)
  .strict()
  .openapi('ReportFigures', { description: 'Headline figures, where the theme has them' });

export const receiveReportBody = z
  .object({
    theme,
    receivedOn: pastDate,
    documents: z.array(documentId).min(1, 'a report is received with its document').max(LIMITS.documents).refine(unique, 'each document once')
      .openapi({ description: 'The report’s documents, uploaded to the meeting first (POST /api/cqrg-meetings/{reference}/documents)' }),
    figures: figuresBody.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const [f, v] of Object.entries(b.figures ?? {})) {
      if (v !== undefined && FIGURES[f as Figure].theme !== b.theme) ctx.addIssue({ code: 'custom', path: ['figures', f], message: `is a figure of the ${FIGURES[f as Figure].theme} report, not ${b.theme}` });
    }
  })
  .openapi('ReceiveReport');

const staff = z.object({ id: staffId, name: text(200) }).strict();

/**
 * One decision. `summary` is what the meeting decided, in short: a new action's description, a
 * re-dating's reason, why a visit is asked for, what goes to the committee.
 */
export const decisionBody = z
  .object({
    kind: z.enum(DECISION_KINDS),
    summary: text(2000),
    plan: planReference.optional().openapi({ description: 'The action plan (an existing one: accept_evidence, redate_action; open_action without it opens a new plan)' }),
    action: z.number().int().min(1).max(500).optional().openapi({ description: 'The action’s number in its plan' }),
    dueOn: isoDate.optional().openapi({ description: 'open_action: its due date; redate_action: the new date' }),
    owner: staff.optional().openapi({ description: 'open_action: who owns the new action' }),
    planTheme: z.string().max(60).optional().openapi({ description: 'open_action on a new plan: its theme (an action plan theme)' }),
    planTitle: text(200).optional().openapi({ description: 'open_action on a new plan: its title' }),
    service: text(200).optional().openapi({ description: 'request_visit: the service or ward to visit' }),
  })
  .strict()
  .superRefine((d, ctx) => {
    const need = (field: keyof typeof d, why: string) => {
      if (d[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (d.kind === 'open_action') {
      need('owner', 'a new action has an owner');
      need('dueOn', 'a new action has a due date');
      if (!d.plan) {
        need('planTheme', 'an action on a new plan: the plan’s theme');
        need('planTitle', 'an action on a new plan: the plan’s title');
      }
    }
    if (d.kind === 'accept_evidence' || d.kind === 'redate_action') {
      need('plan', 'names the action plan');
      need('action', 'names the action');
    }
    if (d.kind === 'redate_action') need('dueOn', 'the action’s new date');
    if (d.kind === 'request_visit') need('service', 'the service or ward to visit');
  })
  .openapi('MeetingDecision');

export const recordMeetingBody = z
  .object({
    heldOn: pastDate.openapi({ description: 'The day it was held (recorded after it happens)' }),
    attendance: z
      .array(z.object({ role: z.enum(ATTENDEE_ROLES), count: z.number().int().min(1).max(50) }).strict())
      .min(1, 'who attended, by role')
      .max(ATTENDEE_ROLES.length)
      .refine((a) => unique(a.map((r) => r.role)), 'each role once')
      .openapi({ description: 'Who attended, by role and how many' }),
    items: z
      .array(z.object({ title: text(200), discussion: text(2000) }).strict())
      .max(LIMITS.items)
      .openapi({ description: 'Each agenda item and its discussion in short' }),
    decisions: z.array(decisionBody).max(LIMITS.decisions),
  })
  .strict()
  .openapi('RecordCqrgMeeting');

/**
 * The reports a meeting open and not yet held now owes, after its provider's reporting plan was
 * changed: the workflow's input for the change (themes and days only), sent by the plan's PUT and
 * by the meetings' reconciler, never a button of its own.
 */
export const applyPlanBody = z
  .object({ reports: z.array(z.object({ theme, workingDaysBefore: z.number().int().min(1).max(40) }).strict()).max(REPORT_THEMES.length) })
  .strict()
  .openapi('MeetingReportsOwed');
