import { addCalendarDays, addCalendarMonths, londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import type { ActionRecord } from '../../models/action-plan';
import { countRange, findByIds, keysInRange, referenceOf, type KeyRange } from '../../models/case-index';
import { RAGS, THEMES } from '../../contracts/action-plan/definitions';
import { actionRanges, amberUntil, dashboardRanges, doneBetween } from '../../records/action-plan/lists';
import { actionView } from '../../records/action-plan/view';
import { providerRange } from '../../records/complaint/lists';
import { providerReviewsRange } from '../../records/review/lists';
import { plannedRange, reportsIssuedRange } from '../../records/visit/lists';
import { REVIEW } from '../../contracts/review/definitions';
import { actionPlanLinkId } from '../../contracts/visit/definitions';
import { HttpError } from '../errors';
import type { ReferenceData } from '../reference-data';
import { complaintFigures, PACK_COMPLAINT_FIELDS, perMonth, type PackComplaint, type Span } from './complaints';
import { meetingRecords, type MeetingSource } from './sources';

/** Records are read by `_id $in` this many at a time. */
const BATCH = 500;
/** The most outstanding actions the pack lists (the counts are always whole). */
const MAX_LISTED = 500;

const monthsBack = (meetingOn: string) => Array.from({ length: 12 }, (_, i) => addCalendarMonths(`${meetingOn.slice(0, 7)}-01`, i - 11).slice(0, 7));

/**
 * The CQRG pack for one provider and one meeting, from every process's records: a cross-process
 * read (as api/reports is), through each process's case-index layout in records/ and its
 * contracts, never its API. Every figure is a count of a range of the case index, or a count over
 * the records such a range names (read by `_id`, only the fields counted): no scan, no aggregation
 * (FerretDB v1 would read every record to answer one).
 *
 * Two periods: since the last meeting (the day after it, to the meeting day; with no meeting
 * before, the last 12 months) and the last 12 months (the 12 months up to the meeting day).
 * Action RAG is as the chair's page has it, worked out today.
 */
export class PackService {
  private readonly meetings: MeetingSource;

  constructor(private readonly deps: { models: Models; referenceData: ReferenceData; meetings?: MeetingSource }) {
    this.meetings = deps.meetings ?? meetingRecords(deps.models);
  }

  async build(code: string, meetingOn: string, now = Date.now()) {
    const { models } = this.deps;
    const today = londonDate(now);
    const [exists, closures, lastMeetingOn] = await Promise.all([models.Provider.exists({ _id: code }), this.deps.referenceData.closureDates(), this.meetings.lastMeeting(code, meetingOn)]);
    if (!exists) throw new HttpError(404, 'not_found', `no provider ${code}`);
    const amber = amberUntil(today, closures);
    const year: Span = { from: addCalendarDays(addCalendarMonths(meetingOn, -12), 1), to: meetingOn };
    const since: Span = { from: lastMeetingOn ? addCalendarDays(lastMeetingOn, 1) : year.from, to: meetingOn };
    const end = addCalendarDays(meetingOn, 1);
    const count = (r: KeyRange) => countRange(models.CaseIndex, r);

    const [complaints, actions, visits, reviews, meetings, reportsDue, decisions, fft] = await Promise.all([
      this.complaints(code, year, since, end, today),
      this.actions(code, since, year, end, today, amber),
      this.visits(code, since, year, end, count),
      this.reviews(code, today),
      this.ragOverMeetings(code, year.from, meetingOn),
      this.meetings.reportsDue(code, meetingOn),
      lastMeetingOn ? this.meetings.decisions(code, lastMeetingOn) : Promise.resolve([]),
      this.meetings.fft(code, year.from, meetingOn),
    ]);
    return { providerCode: code, meetingOn, lastMeetingOn: lastMeetingOn ?? null, today, amberUntil: amber, since, year, meetingRecord: this.meetings.recorded, actions, reportsDue, decisions, complaints, visits, reviews, charts: { meetings, fft } };
  }

  private async complaints(code: string, year: Span, since: Span, end: string, today: string) {
    const [received, closed] = await Promise.all((['received', 'closed'] as const).map((e) => keysInRange(this.deps.models.CaseIndex, providerRange(e, code, year.from, end))));
    const records = new Map((await this.read(this.deps.models.Complaint, [...new Set([...received, ...closed].map(referenceOf))], PACK_COMPLAINT_FIELDS)).map((r) => [r._id, r as PackComplaint]));
    const of = (keys: string[]) => keys.flatMap((k) => records.get(referenceOf(k)) ?? []);
    const [rec, cls] = [of(received), of(closed)];
    return {
      sinceLastMeeting: complaintFigures(since, rec, cls, today),
      last12Months: complaintFigures(year, rec, cls, today),
      // The month is in the key (`…|prcv|RJ2|2026-11-03|CMP-…`): no record needed.
      perMonth: perMonth(received.map((k) => k.split('|')[3]), monthsBack(year.to)),
    };
  }

  private async actions(code: string, since: Span, year: Span, end: string, today: string, amber: string) {
    const cells = dashboardRanges(code, today, amber).filter((c) => c.rag !== 'blue');
    const count = (r: KeyRange) => countRange(this.deps.models.CaseIndex, r);
    const [open, closedSince, closedYear, keys] = await Promise.all([
      Promise.all(cells.map((c) => count(c.range))),
      Promise.all(THEMES.map((t) => count(doneBetween(code, t, since.from, end)))),
      Promise.all(THEMES.map((t) => count(doneBetween(code, t, year.from, end)))),
      keysInRange(this.deps.models.CaseIndex, actionRanges({ provider: code, outstanding: true }, today, amber)[0]),
    ]);
    const byTheme = THEMES.map((theme, i) => ({
      theme,
      ...(Object.fromEntries(RAGS.filter((r) => r !== 'blue').map((rag) => [rag, open[cells.findIndex((c) => c.theme === theme && c.rag === rag)]])) as Record<'red' | 'amber' | 'green', number>),
      closedSinceLastMeeting: closedSince[i],
      closedLast12Months: closedYear[i],
    }));
    const records = await findByIds<ActionRecord>(this.deps.models.Action, keys.slice(0, MAX_LISTED).map(referenceOf));
    const sum = (k: 'red' | 'amber' | 'green' | 'closedSinceLastMeeting' | 'closedLast12Months') => byTheme.reduce((n, t) => n + t[k], 0);
    return {
      byTheme,
      total: { red: sum('red'), amber: sum('amber'), green: sum('green'), outstanding: keys.length, closedSinceLastMeeting: sum('closedSinceLastMeeting'), closedLast12Months: sum('closedLast12Months') },
      outstanding: records.map((r) => actionView(r, today, amber)),
    };
  }

  private async visits(code: string, since: Span, year: Span, end: string, count: (r: KeyRange) => Promise<number>) {
    const [planned, issuedSince, issuedYear, issued] = await Promise.all([
      count(plannedRange(code)),
      count(reportsIssuedRange(code, since.from, end)),
      count(reportsIssuedRange(code, year.from, end)),
      keysInRange(this.deps.models.CaseIndex, reportsIssuedRange(code)),
    ]);
    // A report's recommendations wait for a plan while its link (visit:<ref>) is awaiting_plan.
    const links = await this.read(this.deps.models.ActionPlanLink, issued.map((k) => actionPlanLinkId(referenceOf(k))), { status: 1, recommendations: 1 });
    const awaiting = (links as { _id: string; status?: string; recommendations?: unknown[] }[]).filter((l) => l.status === 'awaiting_plan');
    return {
      planned,
      reportsIssued: { sinceLastMeeting: issuedSince, last12Months: issuedYear },
      awaitingPlan: { visits: awaiting.length, recommendations: awaiting.reduce((n, l) => n + (l.recommendations?.length ?? 0), 0), references: awaiting.map((l) => l._id.replace(/^visit:/, '')) },
    };
  }

  private async reviews(code: string, today: string) {
    const keys = await keysInRange(this.deps.models.CaseIndex, providerReviewsRange(code));
    const rows = await this.read(this.deps.models.Review, keys.map(referenceOf), { serviceName: 1, status: 1, dueOn: 1 });
    const open = (rows as { _id: string; serviceName: string; status: string; dueOn: string }[]).filter((r) => (REVIEW.open as readonly string[]).includes(r.status));
    // Due: its reminders have begun (status due) or its date is today; overdue: its date has passed.
    const listed = open.filter((r) => r.status !== 'scheduled' || r.dueOn <= today).map((r) => ({ reference: r._id, serviceName: r.serviceName, dueOn: r.dueOn, overdue: r.dueOn < today }));
    listed.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference));
    return { due: listed.filter((r) => !r.overdue).length, overdue: listed.filter((r) => r.overdue).length, items: listed };
  }

  /** The RAG at each meeting of the 12 months, as each meeting's pack recorded it (`cqrg_packs`, by `_id`). */
  private async ragOverMeetings(code: string, from: string, to: string) {
    const rows = await this.deps.models.CqrgPack.find({ _id: { $gte: `${code}:${from}`, $lte: `${code}:${to}` } }, { meetingOn: 1, counts: 1 }).sort({ _id: 1 }).lean<{ meetingOn: string; counts: Record<string, number> }[]>();
    return rows.map((r) => ({ meetingOn: r.meetingOn, red: r.counts.red ?? 0, amber: r.counts.amber ?? 0, green: r.counts.green ?? 0, outstanding: r.counts.outstanding ?? 0 }));
  }

  private async read(model: Models['Complaint'] | Models['Review'] | Models['ActionPlanLink'], ids: string[], fields: Record<string, 1>): Promise<{ _id: string }[]> {
    const batches: Promise<{ _id: string }[]>[] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(findByIds(model, ids.slice(i, i + BATCH), { ...fields }));
    return (await Promise.all(batches)).flat();
  }
}

export type Pack = Awaited<ReturnType<PackService['build']>>;
