import type { Models } from '../../models';
import { addCalendarDays } from '../../lib/calendar';
import { findByIds, referenceOf } from '../../models/case-index';
import type { CqrgMeetingRecord } from '../../models/cqrg-meeting';
import type { CqrgMeetingState, CqrgMeetingWorkflowInput, Decision, ReportState } from '../../contracts/cqrg-meeting/definitions';
import { heldRange, meetingsRange } from './lists';

/**
 * The clean read of a provider's CQRG meeting cycle, for the chair's page and the meeting's pack:
 * the reports due for a meeting (received, late, missing), and the last meeting's decisions with
 * what became of each. Every read is a range of the case index, then records by `_id`.
 */

/** `due`: not yet; `late`: past its date, the meeting still to come; `missing`: not in by the meeting. */
export type ReportStanding = 'due' | 'received' | 'late' | 'missing';

export interface ReportView {
  theme: ReportState['theme'];
  dueOn: string | null;
  status: ReportStanding;
  receivedOn: string | null;
  /** Received after its due date. */
  receivedLate: boolean;
  documents: string[];
  figures: ReportState['figures'] & object;
}

export interface DecisionOutcome {
  status: 'applied' | 'refused';
  /** What it made or changed: a plan (`CAP-…`, with its action), a request (`visit|…`). */
  reference?: string;
  action?: number;
  reason?: string;
}

export interface MeetingView {
  reference: string;
  providerCode: string;
  meetingOn: string;
  status: string;
  heldOn: string | null;
  reports: ReportView[];
  counts: Record<ReportStanding, number>;
  attendance: { role: string; count: number }[];
  items: { title: string; discussion: string }[];
  decisions: (Decision & { n: number; outcome: DecisionOutcome | null })[];
  /** The minutes' document id, once made. */
  minutes: string | null;
}

export function reportStanding(r: Pick<ReportState, 'dueOn' | 'receivedOn'>, meeting: { meetingOn: string; recorded: boolean }, today: string): ReportStanding {
  if (r.receivedOn) return 'received';
  if (meeting.recorded || meeting.meetingOn < today) return 'missing';
  return r.dueOn && r.dueOn < today ? 'late' : 'due';
}

/** A meeting as the read model has it (its reports as opened, until the first projection). */
export function meetingView(record: CqrgMeetingRecord, today: string): MeetingView {
  const state = record.workflow as CqrgMeetingState | undefined;
  const opened = (record.workflowInput as CqrgMeetingWorkflowInput | undefined)?.reports ?? [];
  const reports: ReportState[] = state?.reports ?? opened.map((r) => ({ ...r }));
  const recorded = state?.status === 'recorded';
  const views = reports.map((r): ReportView => ({
    theme: r.theme,
    dueOn: r.dueOn ?? null,
    status: reportStanding(r, { meetingOn: record.meetingOn, recorded }, today),
    receivedOn: r.receivedOn ?? null,
    receivedLate: !!(r.receivedOn && r.dueOn && r.receivedOn > r.dueOn),
    documents: r.documents ?? [],
    figures: r.figures ?? {},
  }));
  const counts = { due: 0, received: 0, late: 0, missing: 0 };
  for (const v of views) counts[v.status] += 1;
  const outcomes = (record.outcomes ?? {}) as Record<string, DecisionOutcome>;
  return {
    reference: record._id,
    providerCode: record.providerCode,
    meetingOn: record.meetingOn,
    status: record.status,
    heldOn: state?.record?.heldOn ?? null,
    reports: views,
    counts,
    attendance: state?.record?.attendance ?? [],
    items: state?.record?.items ?? [],
    decisions: (state?.record?.decisions ?? []).map((d, i) => ({ ...d, n: i + 1, outcome: outcomes[String(i + 1)] ?? null })),
    minutes: record.minutes ?? null,
  };
}

async function lastKey(models: Models, range: { from: string; to: string }): Promise<string | undefined> {
  const [row] = await models.CaseIndex.find({ _id: { $gte: range.from, $lt: range.to } }, { _id: 1 }).sort({ _id: -1 }).limit(1).lean<{ _id: string }[]>();
  return row?._id;
}

async function one(models: Models, key: string | undefined, today: string): Promise<MeetingView | null> {
  if (!key) return null;
  const [record] = await findByIds<CqrgMeetingRecord>(models.CqrgMeeting, [referenceOf(key)]);
  return record ? meetingView(record, today) : null;
}

/** The provider's meetings dated `from` to `to`, both days included, in date order. */
export async function meetingsBetween(models: Models, code: string, from: string, to: string, today: string): Promise<MeetingView[]> {
  const range = meetingsRange(code, from, addCalendarDays(to, 1));
  const rows = await models.CaseIndex.find({ _id: { $gte: range.from, $lt: range.to } }, { _id: 1 }).sort({ _id: 1 }).lean<{ _id: string }[]>();
  const records = await findByIds<CqrgMeetingRecord>(models.CqrgMeeting, rows.map((r) => referenceOf(r._id)));
  return records.map((r) => meetingView(r, today)).sort((a, b) => a.meetingOn.localeCompare(b.meetingOn));
}

/** The provider's meeting on a date: its reports due, received, late or missing (null: no such meeting). */
export async function meetingOn(models: Models, code: string, date: string, today: string): Promise<MeetingView | null> {
  return (await meetingsBetween(models, code, date, date, today)).at(-1) ?? null;
}

/** The provider's last recorded meeting held before `before` (or ever), with its decisions and their outcomes. */
export async function lastMeeting(models: Models, code: string, today: string, before?: string): Promise<MeetingView | null> {
  return one(models, await lastKey(models, heldRange(code, before)), today);
}

/** The provider's next meeting on its cycle: the first dated today or later not yet recorded. */
export async function nextMeeting(models: Models, code: string, today: string): Promise<MeetingView | null> {
  const rows = await models.CaseIndex.find({ _id: { $gte: meetingsRange(code, today).from, $lt: meetingsRange(code).to } }, { _id: 1 }).sort({ _id: 1 }).limit(5).lean<{ _id: string }[]>();
  const records = await findByIds<CqrgMeetingRecord>(models.CqrgMeeting, rows.map((r) => referenceOf(r._id)));
  const next = records.find((r) => r.status !== 'recorded');
  return next ? meetingView(next, today) : null;
}

/** The chair's view of the cycle: the last meeting and its decisions, the next and its reports, the plan's dates. */
export async function meetingCycle(models: Models, code: string, today: string) {
  const [last, next, plan] = await Promise.all([lastMeeting(models, code, today), nextMeeting(models, code, today), models.ReportingPlan.findById(code).lean()]);
  const upcoming = (plan?.meetings ?? []).filter((d) => d >= today).sort();
  return { last, next, nextDate: next?.meetingOn ?? upcoming[0] ?? null, plan: plan ? { meetings: [...plan.meetings].sort(), reports: plan.reports } : null };
}
