import { setTimeout as sleep } from 'node:timers/promises';
import { londonDate } from '../lib/calendar';
import { THEMES, type Theme } from '../contracts/action-plan/definitions';
import { ACTION_PLAN_UPDATES } from '../contracts/action-plan/events';
import type { Decision } from '../contracts/cqrg-meeting/definitions';
import type { ActionPlanService } from './action-plans/service';
import { createActionPlanBody } from './action-plans/schemas';
import { fromZodError } from './errors';
import { noteIds, writeNotes } from './action-plans/events';
import type { DecisionContext, PlanDecisions } from './cqrg-meetings/decisions';
import { badRequest, HttpError, toHttpError } from './errors';

/**
 * A CQRG meeting's decisions as the action plans take them, through the plans' own service: the
 * composition root's, so neither process imports the other. Each is sent under the decision's
 * key (its Update's id, or the new plan's Idempotency-Key), so sending it again applies nothing
 * twice; a refusal (a state that does not allow it) is the decision's outcome, not the meeting's failure.
 */
export function meetingPlanDecisions(plans: ActionPlanService): PlanDecisions {
  const planOf = async (reference: string, field: string, providerCode: string) => {
    const record = await plans.cases.record(reference).catch((err: unknown) => {
      if (toHttpError(err).status === 404) throw badRequest(field, `no action plan ${reference}`);
      throw err;
    });
    if (record.providerCode !== providerCode) throw badRequest(field, `${reference} is a plan of ${record.providerCode}, not ${providerCode}`);
    return record;
  };

  /** A new plan opened at once by the same decision sent twice: the second waits for the first's answer. */
  const newPlan = (d: Decision, ctx: Pick<DecisionContext, 'providerCode' | 'heldOn' | 'actor'>) => ({
      providerCode: ctx.providerCode,
      theme: d.planTheme as Theme,
      title: d.planTitle!,
      source: { kind: 'cqrg_meeting' as const, meetingOn: ctx.heldOn },
      // The plan is chaired by whoever recorded the meeting that opened it.
      chair: { id: ctx.actor.id, name: ctx.actor.name },
      actions: [{ description: d.summary, owner: d.owner!, dueOn: d.dueOn! }],
  });
  const openPlan = async (d: Decision, ctx: DecisionContext) => {
    const body = createActionPlanBody.parse(newPlan(d, ctx));
    for (let attempt = 0; ; attempt++) {
      try {
        return (await plans.create(body, ctx.actor, ctx.key)).view.reference;
      } catch (err) {
        if (!(err instanceof HttpError && err.code === 'in_progress') || attempt >= 30) throw err;
        await sleep(500);
      }
    }
  };

  const addAction = async (d: Decision, ctx: DecisionContext) => {
    const id = noteIds({ path: 'add-action', reference: d.plan, decision: ctx.key, by: ctx.actor.id }, ctx.key);
    const note = id(0);
    await writeNotes(plans.cases.deps.models, [{ _id: note, kind: 'action', text: d.summary, ownerName: d.owner!.name }]);
    try {
      const { live } = await plans.cases.event(d.plan!, ACTION_PLAN_UPDATES['add-action'], { addedOn: ctx.heldOn, ownerId: d.owner!.id, dueOn: d.dueOn!, note, actor: ctx.actor }, { idempotencyKey: ctx.key });
      return live.actions.find((a) => a.note === note)?.n;
    } catch (err) {
      if ([400, 404, 409].includes(toHttpError(err).status)) await plans.cases.deps.models.ActionPlanNote.deleteMany({ _id: note }).catch(() => undefined);
      throw err;
    }
  };

  return {
    async check(d, providerCode, field, actor) {
      if (d.plan) await planOf(d.plan, `${field}.plan`, providerCode);
      if (d.kind === 'open_action' && !d.plan) {
        if (!(THEMES as readonly string[]).includes(d.planTheme ?? '')) throw badRequest(`${field}.planTheme`, `must be one of ${THEMES.join(', ')}`);
        const parsed = createActionPlanBody.safeParse(newPlan(d, { providerCode, heldOn: londonDate(Date.now()), actor }));
        if (!parsed.success) throw fromZodError(parsed.error, field);
      }
    },

    async apply(d, ctx) {
      try {
        if (d.kind === 'open_action' && !d.plan) return { status: 'applied', reference: await openPlan(d, ctx), action: 1 };
        // As on the plan's own routes: a chair changes only the plans they chair.
        const plan = await plans.cases.record(d.plan!);
        if (ctx.actor.role === 'cqrg_chair' && plan.chair.id !== ctx.actor.id) return { status: 'refused', reference: d.plan, reason: `${d.plan} is chaired by ${plan.chair.name}: a CQRG chair changes only the plans they chair` };
        if (d.kind === 'open_action') return { status: 'applied', reference: d.plan, action: await addAction(d, ctx) };
        const at = { actor: ctx.actor };
        if (d.kind === 'accept_evidence') {
          await plans.cases.event(d.plan!, ACTION_PLAN_UPDATES['accept-evidence'], { action: d.action!, acceptedOn: ctx.heldOn, note: d.summary.slice(0, 1000), ...at }, { idempotencyKey: ctx.key });
        } else {
          await plans.cases.event(d.plan!, ACTION_PLAN_UPDATES['redate-action'], { action: d.action!, redatedOn: ctx.heldOn, dueOn: d.dueOn!, reason: d.summary.slice(0, 1000), ...at }, { idempotencyKey: ctx.key });
        }
        return { status: 'applied', reference: d.plan, action: d.action };
      } catch (err) {
        const http = toHttpError(err);
        if (http.status === 400 || http.status === 404 || http.status === 409) return { status: 'refused', reference: d.plan, reason: http.message };
        throw err;
      }
    },
  };
}
