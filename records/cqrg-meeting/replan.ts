import type { Models } from '../../models';
import { referenceOf } from '../../models/case-index';
import type { CqrgMeetingState, ReportState } from '../../contracts/cqrg-meeting/definitions';
import { changesNothing, reportChanges, type OwedReport } from '../../contracts/cqrg-meeting/replan';
import { meetingsRange } from './lists';
import { meetingRequest } from './opening';
import { reportsDueAt, type ReportingPlan } from './plan';

/** A meeting open and not yet held whose reports are not those its provider's plan now owes it. */
export interface MeetingBehindPlan {
  reference: string;
  workflowId: string;
  meetingOn: string;
  /** What the plan owes it now: the Update's input (contracts/cqrg-meeting/events.ts, PLAN_CHANGE). */
  reports: OwedReport[];
  /** The projection's version its reports were read at (-1: not yet projected): part of the change's Update id. */
  version: number;
}

/**
 * The meetings of a provider that its plan's change has still to reach (docs/processes/cqrg-meeting.md):
 * open, still to be held (after `today`), and owed other reports than their record says, as
 * contracts/cqrg-meeting/replan.ts reads it. A meeting the plan no longer names is owed none
 * (reportsDueAt). Found by the keys that opened the plan's dates and by the provider's range of
 * the case index (a date taken off the plan): reads by _id, on every engine, so the plan's put
 * and the reconciler ask the same question.
 */
export async function meetingsBehindPlan(models: Models, providerCode: string, plan: ReportingPlan, today: string): Promise<MeetingBehindPlan[]> {
  const ahead = plan.meetings.filter((m) => m > today);
  const range = meetingsRange(providerCode, today);
  const [keys, listed] = await Promise.all([
    ahead.length ? models.IdempotencyKey.find({ _id: { $in: ahead.map((m) => meetingRequest(providerCode, m).keyRow) } }, { reference: 1 }).lean() : [],
    models.CaseIndex.find({ _id: { $gte: range.from, $lt: range.to } }, { _id: 1 }).lean<{ _id: string }[]>(),
  ]);
  const references = [...new Set([...keys.map((k) => k.reference), ...listed.map((k) => referenceOf(k._id))])];
  if (!references.length) return [];
  const records = await models.CqrgMeeting.find({ _id: { $in: references } }, { providerCode: 1, workflowId: 1, meetingOn: 1, status: 1, reports: 1, workflow: 1, projectionVersion: 1 }).lean();
  return records.flatMap((r) => {
    if (r.status !== 'scheduled' || r.providerCode !== providerCode || !(r.meetingOn > today)) return [];
    // The projection's reports, else (not yet projected) those it was opened with.
    const had = ((r.workflow as CqrgMeetingState | undefined)?.reports ?? r.reports ?? []) as ReportState[];
    const owed = reportsDueAt(plan, r.meetingOn);
    if (changesNothing(reportChanges(had, owed, today))) return [];
    return [{ reference: r._id, workflowId: r.workflowId, meetingOn: r.meetingOn, reports: owed, version: typeof r.projectionVersion === 'number' ? r.projectionVersion : -1 }];
  });
}
