import type { Models } from '../../models';
import { insertOnce } from '../../models/connection';
import type { Decision } from '../../contracts/cqrg-meeting/definitions';
import type { Actor } from '../../contracts/kernel/case';
import type { DecisionOutcome } from '../../records/cqrg-meeting/cycle';

/** Where a decision is applied: the meeting, its number, and a key no other decision shares. */
export interface DecisionContext {
  meeting: string;
  n: number;
  providerCode: string;
  heldOn: string;
  actor: Actor;
  /** `cqrg-meeting:CQM-2026-000123:3`: the Idempotency-Key of what the decision asks of another process. */
  key: string;
}

/**
 * The action plans, as a meeting's decisions reach them: through the API's services, given by the
 * composition root (api/meeting-decisions.ts), never by importing the other process. `check` refuses,
 * before anything is recorded, a decision that cannot be applied (a 400 naming `field`); `apply`
 * applies one, once under its key, and says what became of it.
 */
export interface PlanDecisions {
  check(decision: Decision, providerCode: string, field: string, actor: Actor): Promise<void>;
  apply(decision: Decision, ctx: DecisionContext): Promise<DecisionOutcome>;
}

/** A request's key in `meeting_requests`: its list (`visit`, `committee`) is an `_id` range. */
export const requestId = (kind: 'visit' | 'committee', ctx: Pick<DecisionContext, 'heldOn' | 'meeting' | 'n'>) => `${kind}|${ctx.heldOn}|${ctx.meeting}:${ctx.n}`;

/**
 * Apply one decision, once: a visit request for the quality team to plan, or an escalation for the
 * quality lead to take to the quality committee, is a keyed row here (the committee's outbox row is
 * the workflow's, raised as the meeting was recorded); the rest go to the action plans.
 */
export async function applyDecision(models: Models, plans: PlanDecisions, d: Decision, ctx: DecisionContext): Promise<DecisionOutcome> {
  if (d.kind !== 'request_visit' && d.kind !== 'escalate_to_committee') return plans.apply(d, ctx);
  const kind = d.kind === 'request_visit' ? 'visit' : 'committee';
  const _id = requestId(kind, ctx);
  await insertOnce(models.MeetingRequest, {
    _id,
    kind,
    providerCode: ctx.providerCode,
    meeting: ctx.meeting,
    decision: ctx.n,
    requestedOn: ctx.heldOn,
    summary: d.summary,
    ...(d.service && { service: d.service }),
    requestedBy: ctx.actor,
    createdAt: new Date(),
  });
  return { status: 'applied', reference: _id };
}
