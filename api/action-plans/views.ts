import { ACTION_PLAN_STATUSES, RAGS, SOURCE_KINDS, THEMES } from '../../contracts/action-plan/definitions';
import { deadlineView, timelineEntryView } from '../kernel/schemas';
import { isoDate, nullableDate, z } from '../../lib/zod';
import { cqrgScheduleBody } from './schemas';
import { stateFields } from '../kernel/freshness';
import { pageFields } from '../kernel/paging';

/** What the action plans' routes answer: plans, actions, dashboards, CQRG Schedules and packs. */

const rag = z.enum(RAGS);

export const actionView = z
  .object({
    id: z.string().openapi({ example: 'CAP-2026-000123:3' }),
    reference: z.string(),
    n: z.number(),
    providerCode: z.string(),
    theme: z.enum(THEMES),
    description: z.string(),
    owner: z.object({ id: z.string(), name: z.string() }),
    dueOn: isoDate,
    status: z.enum(['open', 'evidence_submitted', 'complete']).openapi({ description: "evidence_submitted: its evidence awaits the plan's chair (still outstanding)" }),
    rag: rag.openapi({ description: 'Worked out today from the due date and completion' }),
    updates: z.number(),
    redated: z.number(),
    lastUpdate: z.object({ on: isoDate, text: z.string() }).nullable(),
    completedOn: nullableDate,
    evidenceSubmittedOn: nullableDate,
    evidence: z.array(z.object({ description: z.string(), link: z.string().optional() })),
    documents: z
      .array(z.object({ id: z.string(), filename: z.string(), download: z.string() }))
      .openapi({ description: 'The plan’s documents named as its evidence, each downloaded from GET /api/documents/:id' }),
  })
  .openapi('Action');

export const actionPage = z.object({ items: z.array(actionView), ...pageFields, total: z.number() }).openapi('ActionPage');

export const actionPlanView = z
  .object({
    reference: z.string(),
    providerCode: z.string(),
    theme: z.enum(THEMES),
    title: z.string(),
    source: z.object({ kind: z.enum(SOURCE_KINDS), reference: z.string().optional(), meetingOn: isoDate.optional() }),
    chair: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(ACTION_PLAN_STATUSES),
    openedOn: isoDate,
    nextDueOn: nullableDate,
    counts: z.object({ actions: z.number(), open: z.number(), complete: z.number() }),
    signedOffOn: nullableDate,
  })
  .openapi('ActionPlanSummary');

export const actionPlanDetail = actionPlanView
  .extend({
    actions: z.array(actionView),
    deadlines: z.record(z.string(), deadlineView),
    ...stateFields,
    timeline: z.array(timelineEntryView),
  })
  .openapi('ActionPlan');

export const actionPlanPage = z.object({ items: z.array(actionPlanView), ...pageFields, total: z.number() }).openapi('ActionPlanPage');

const ragCounts = z.object({ red: z.number(), amber: z.number(), green: z.number(), blue: z.number() });
export const providerDashboard = z
  .object({ providerCode: z.string(), today: isoDate, amberUntil: isoDate, total: ragCounts, byTheme: z.record(z.string(), ragCounts) })
  .openapi('ActionDashboard');
export const dashboardView = z.object({ today: isoDate, providers: z.array(providerDashboard) }).openapi('ActionDashboards');

export const planRequestsView = z
  .object({
    items: z.array(
      z.object({
        id: z.string().openapi({ example: 'visit:VIS-2026-000123' }),
        source: z.object({ kind: z.string(), reference: z.string() }),
        providerCode: z.string(),
        service: z.string().nullable(),
        requestedOn: isoDate,
        recommendations: z.array(z.object({ n: z.number().optional(), summary: z.string().optional(), dueOn: z.string().optional() }).passthrough()),
      }),
    ),
  })
  .openapi('ActionPlanRequests');

export const cqrgScheduleView = z
  .object({
    providerCode: z.string(),
    scheduleId: z.string(),
    paused: z.boolean(),
    note: z.string().nullable(),
    meetings: cqrgScheduleBody.shape.meetings,
    packWorkingDaysBefore: z.number(),
    chair: z.string(),
    nextMeetingOn: isoDate,
    nextPackOn: isoDate,
    nextRuns: z.array(z.string()),
  })
  .openapi('CqrgScheduleView');

export const cqrgPackView = z
  .object({
    providerCode: z.string(),
    meetingOn: isoDate,
    packOn: isoDate,
    producedOn: isoDate,
    chairId: z.string(),
    counts: z.object({ outstanding: z.number(), red: z.number(), amber: z.number(), green: z.number(), evidenceSubmitted: z.number().optional().openapi({ description: "Of the outstanding, those whose evidence awaits the chair (packs made before evidence was reviewed have none)" }) }),
    actions: z.array(actionView.extend({ overdue: z.boolean() })),
  })
  .openapi('CqrgPack');
