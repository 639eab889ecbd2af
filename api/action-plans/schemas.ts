import { ACTION_PLAN_STATUSES, RAGS, SOURCE_KINDS, THEMES, WEEKDAYS } from '../../contracts/action-plan/constants';
import { caseReference, caseReferenceParams, freeText, odsCode, pastDate, queryFlag, staffId, z } from '../../lib/zod';
import { ACTION_PLAN } from '../../contracts/action-plan/definitions';
import { newActionBody, staff, text } from '../../contracts/action-plan/inputs';
import { pagingQuery } from '../kernel/paging';

/**
 * The action plan's requests and answers. A request that carries staff notes (a description, a
 * progress update, evidence) is one schema for the route and another, derived from it, for the
 * workflow's Update (contracts/action-plan/inputs.ts): the notes go to MongoDB and the Update
 * carries their ids (see events.ts).
 */
export const referenceParams = caseReferenceParams(ACTION_PLAN.prefix);

export const providerParams = z.object({ code: odsCode.openapi({ param: { name: 'code', in: 'path' } }) });

/** A note's id, as the API stores it before the Update (see events.ts). */
export const createActionPlanBody = z
  .object({
    providerCode: odsCode,
    theme: z.enum(THEMES),
    title: text(200).openapi({ example: 'Accessible Information Standard: flagging communication needs' }),
    source: z
      .object({
        kind: z.enum(SOURCE_KINDS),
        reference: caseReference().optional(),
        meetingOn: pastDate.optional().openapi({ description: 'The CQRG meeting the plan came from' }),
      })
      .strict()
      .superRefine((s, ctx) => {
        if (s.kind === 'cqrg_meeting' && !s.meetingOn) ctx.addIssue({ code: 'custom', path: ['meetingOn'], message: 'a plan from a CQRG meeting names the meeting date' });
        if (s.kind !== 'cqrg_meeting' && !s.reference) ctx.addIssue({ code: 'custom', path: ['reference'], message: `a plan from ${s.kind === 'complaint' ? 'a complaint' : 'an insight visit'} names its reference` });
        if (s.kind === 'complaint' && s.reference && !s.reference.startsWith('CMP-')) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'must be a complaint reference (CMP-…)' });
        if (s.kind === 'insight_visit' && s.reference && !s.reference.startsWith('VIS-')) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'must be an insight visit reference (VIS-…)' });
      }),
    chair: staff.openapi({ description: 'The CQRG chair, who is escalated to and signs the plan off' }),
    actions: z.array(newActionBody).min(1, 'a plan has at least one action').max(200),
    escalateEveryWorkingDays: z.number().int().min(1).max(60).optional().openapi({ description: 'Once an action is overdue, escalate again every this many working days (default 5)' }),
  })
  .strict()
  .openapi('CreateActionPlan');

const page = pagingQuery;

export const listActionPlansQuery = z
  .object({ provider: odsCode.optional(), status: z.enum([...ACTION_PLAN_STATUSES, 'open']).optional().openapi({ description: '`open` = in progress or awaiting sign-off' }), ...page })
  .strict();

export const listActionsQuery = z
  .object({
    outstanding: queryFlag().optional().openapi({ description: 'Open actions (true, or the flag alone; by due date) or completed ones (false, by completion date); both when absent' }),
    rag: z.enum(RAGS).optional().openapi({ description: 'red: open, due before today; amber: due from today to 10 working days ahead; green: later; blue: complete' }),
    theme: z.enum(THEMES).optional(),
    ...page,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.rag && q.outstanding !== undefined && (q.rag === 'blue') === q.outstanding) ctx.addIssue({ code: 'custom', path: ['rag'], message: `${q.rag} does not go with outstanding=${q.outstanding}` });
  });

export const dashboardQuery = z.object({ provider: odsCode.optional() }).strict();

/** The meetings of a provider's CQRG: also what its Schedule's view shows. */
export const cqrgScheduleBody = z
  .object({
    meetings: z
      .object({ weekday: z.enum(WEEKDAYS), nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]).openapi({ description: '1-4, or -1 for the last' }) })
      .strict()
      .openapi({ description: 'The meetings: the nth weekday of every month (a meeting day that is not a working day moves to the next working day)' }),
    packWorkingDaysBefore: z.number().int().min(1).max(15).default(5),
    chair: staffId,
  })
  .strict()
  .openapi('CqrgSchedule');

export const pauseBody = z.object({ note: freeText(500).optional() }).strict();

export type CreateActionPlanBody = z.infer<typeof createActionPlanBody>;
export type ListActionPlansQuery = z.infer<typeof listActionPlansQuery>;
export type ListActionsQuery = z.infer<typeof listActionsQuery>;
export type CqrgScheduleBody = z.infer<typeof cqrgScheduleBody>;
