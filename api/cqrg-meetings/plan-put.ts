import type { z } from 'zod';
import { CQRG_MEETING_PLAN_UPDATE } from '../../contracts/cqrg-meeting/events';
import type { reportingPlanBody } from '../../contracts/cqrg-meeting/inputs';
import type { Actor } from '../../contracts/kernel/case';
import { hashOf } from '../../records/kernel/claim';
import { asPlan, meetingsToOpen } from '../../records/cqrg-meeting/plan';
import { meetingsBehindPlan } from '../../records/cqrg-meeting/replan';
import { openedMeetings } from '../../records/cqrg-meeting/opening';
import { toHttpError } from '../errors';
import type { Models } from '../../models';
import type { CqrgMeetingRecord } from '../../models/cqrg-meeting';
import type { CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import type { Cases } from '../kernel/cases';
import type { ReferenceData } from '../reference-data';

/** The meetings' service, as far as a plan's put needs it (./service.ts; not imported, so no circle). */
export interface PlanMeetings {
  deps: { models: Models; referenceData: ReferenceData };
  cases: Pick<Cases<CqrgMeetingRecord, CqrgMeetingState>, 'event'>;
  today(): string;
  open(body: { providerCode: string; meetingOn: string }, actor: Actor): Promise<unknown>;
}

/** What a plan's put left for the meetings' reconciler: Temporal did not answer as it was put. */
export interface PlanPending {
  /** Meetings due to be open that are not (nothing of them was kept: the reconciler opens them). */
  opening: string[];
  /** Meetings open whose reports the change has still to reach (the reconciler sends it). */
  reports: string[];
  message: string;
}

/**
 * After the plan is saved, what it does to its meetings (docs/processes/cqrg-meeting.md): opens
 * those due to be open, then tells each meeting open and not yet held what it is owed now, each
 * change keyed by the meeting, what it owes and the version it was read at, so a put sent twice
 * at once applies it once. Temporal away (a 503) is not the plan's failure: the plan is kept and
 * the rest left to the reconciler, which the answer says (202). A meeting that refuses the change
 * (recorded meanwhile, or already owed just that) has nothing left to do.
 */
export async function applyPlan(service: PlanMeetings, code: string, body: z.output<typeof reportingPlanBody>, actor: Actor): Promise<PlanPending | undefined> {
  const { models, referenceData } = service.deps;
  if (!(await referenceData.isActiveProvider(code))) return undefined;
  const plan = asPlan(body);
  const today = service.today();
  const pending: PlanPending = { opening: [], reports: [], message: '' };
  const due = meetingsToOpen(plan, today, await referenceData.closureDates());
  const open = await openedMeetings(models, code, due);
  // In turn: a plan opens one or two meetings, and each is a Temporal start (one already open is left as it is).
  for (const meetingOn of due.filter((d) => !open.has(d))) {
    await service.open({ providerCode: code, meetingOn }, actor).catch(unless503(() => pending.opening.push(meetingOn)));
  }
  for (const m of await meetingsBehindPlan(models, code, plan, today)) {
    // Keyed by what it owes and the state it was read at: two puts at once send one change, and a
    // later change back to an earlier plan (A, B, A) is a new one, not the first's answer again.
    const idempotencyKey = `reporting-plan:${hashOf({ reports: m.reports, version: m.version }).slice(0, 16)}`;
    await service.cases.event(m.reference, CQRG_MEETING_PLAN_UPDATE, { reports: m.reports, actor }, { idempotencyKey }).catch(unless503(() => pending.reports.push(m.reference), true));
  }
  if (!pending.opening.length && !pending.reports.length) return undefined;
  const what = [pending.opening.length && `the meeting(s) of ${pending.opening.join(', ')} will be opened`, pending.reports.length && `the reports owed by ${pending.reports.join(', ')} will be changed`].filter(Boolean).join(', and ');
  pending.message = `The reporting plan is saved. The workflow service did not answer, or another opening was still under way, so ${what} by the meetings' reconciler (every 10 minutes); nothing needs sending again.`;
  return pending;
}

/**
 * A 503, or an opening of the meeting still under way after the wait (409 in_progress), is left for
 * later; a refusal of the change (409) has nothing left to do; anything else fails the put.
 */
function unless503(later: () => void, refusalDone = false) {
  return (err: unknown) => {
    const { status, code } = toHttpError(err);
    if (status === 503 || code === 'in_progress') return later();
    if (refusalDone && status === 409) return;
    throw err;
  };
}
