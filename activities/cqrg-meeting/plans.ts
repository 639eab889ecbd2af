import type { Client } from '@temporalio/client';
import { londonDate } from '../../lib/calendar';
import { closureDates, type Models } from '../../models';
import { ReferenceAllocator } from '../../models/references';
import { CQRG_MEETING } from '../../contracts/cqrg-meeting/definitions';
import { CYCLE_WORDS } from '../../contracts/cqrg-meeting/vocabulary';
import { meetingRecord, meetingRequest } from '../../records/cqrg-meeting/opening';
import { asPlan, meetingsToOpen, type ReportingPlan } from '../../records/cqrg-meeting/plan';
import { cqrgMeetingWorkflowInput } from '../../records/cqrg-meeting/start';
import type { ProcessFinding } from '../kernel/reconcile';
import type { CycleFinding } from '../../contracts/cqrg-meeting/vocabulary';
import { openKeyedCase } from '../kernel/open-case';
import { replanMeetings } from './replan';

/**
 * The meetings the reporting plans should have open and do not, opened by the CQRG meetings'
 * reconciler (its `repairs`): a plan put before meetings opened from it, a meeting whose
 * opening day has come since, an opening that failed. Each one through the same key as every
 * other opening (records/cqrg-meeting/opening.ts), so a meeting is never opened twice. Then the
 * meetings open that a plan's change has not reached (./replan.ts).
 */
export function plannedMeetings(models: Models, temporal: { client: Client; taskQueue: string }) {
  const deps = { models, model: models.CqrgMeeting, process: CQRG_MEETING, references: new ReferenceAllocator(models.ReferenceBlock), ...temporal };
  return async function openPlannedMeetings(): Promise<ProcessFinding<CycleFinding>[]> {
    const today = londonDate(Date.now());
    const [plans, closures] = await Promise.all([models.ReportingPlan.find({}, { meetings: 1, reports: 1 }).lean(), closureDates(models)]);
    const wanted = plans.flatMap((p) => {
      const plan = asPlan(p);
      return meetingsToOpen(plan, today, closures).map((meetingOn) => ({ plan, providerCode: p._id, meetingOn, ...meetingRequest(p._id, meetingOn) }));
    });
    // Meetings open whose plan changed while Temporal was away (./replan.ts), for providers still active.
    const activePlans = async () => {
      const still = new Set((await models.Provider.find({ _id: { $in: plans.map((p) => p._id) }, active: true }, { _id: 1 }).lean()).map((p) => p._id));
      return plans.filter((p) => still.has(p._id)).map((p) => ({ providerCode: p._id, plan: asPlan(p) }));
    };
    if (!wanted.length) return replanMeetings(models, temporal.client, await activePlans(), today);
    // Only what has no case yet (reads by _id), and only for providers still active.
    const [keyed, active] = await Promise.all([
      models.IdempotencyKey.find({ _id: { $in: wanted.map((w) => w.keyRow) } }, { reference: 1 }).lean(),
      models.Provider.find({ _id: { $in: [...new Set(wanted.map((w) => w.providerCode))] }, active: true }, { _id: 1 }).lean(),
    ]);
    // A key naming no record is an opening under way, or one that died: openKeyedCase tells which.
    const records = new Set((await models.CqrgMeeting.find({ _id: { $in: keyed.map((k) => k.reference) } }, { _id: 1 }).lean()).map((r) => r._id));
    const has = new Set(keyed.filter((k) => records.has(k.reference)).map((k) => k._id));
    const live = new Set(active.map((p) => p._id));
    const findings: ProcessFinding<CycleFinding>[] = [];
    for (const w of wanted.filter((x) => !has.has(x.keyRow) && live.has(x.providerCode))) {
      const opened = await open(w);
      if (opened?.opened) findings.push({ reference: opened.reference, problem: 'meeting_not_opened', repaired: true, detail: CYCLE_WORDS.openedByReconciler(w.providerCode, w.meetingOn) });
    }
    return [...findings, ...(await replanMeetings(models, temporal.client, await activePlans(), today))];

    function open(w: { plan: ReportingPlan; providerCode: string; meetingOn: string; keyRow: string; requestHash: string }) {
      return openKeyedCase(deps, {
        key: { id: w.keyRow, requestHash: w.requestHash },
        build: meetingRecord({ plan: w.plan, providerCode: w.providerCode, meetingOn: w.meetingOn, openedOn: today }),
        workflowInput: cqrgMeetingWorkflowInput,
      });
    }
  };
}
