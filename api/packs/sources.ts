import type { Models } from '../../models';
import { londonDate } from '../../lib/calendar';
import { lastMeeting, meetingOn, meetingsBetween, type DecisionOutcome } from '../../records/cqrg-meeting/cycle';

/**
 * What the pack takes from the CQRG meeting's own records (records/cqrg-meeting/cycle.ts): the
 * reports due for the meeting, the last meeting's decisions with what became of each, and the FFT
 * figures its reports carried. A provider whose meetings predate the meeting record has its last
 * meeting from the packs produced before (`cqrg_packs`, keyed `RJ2:2026-12-08`).
 */
export interface ReportDue {
  theme: string;
  dueOn: string;
  /** due (not yet), received, late (past its date, the meeting to come) or missing (not in by the meeting). */
  status: 'due' | 'received' | 'late' | 'missing';
  receivedOn?: string;
}

export interface Decision {
  meetingOn: string;
  kind: string;
  summary: string;
  /** What became of it since. */
  outcome: string;
}

/** One month's Friends and Family Test headline, from the provider's reports. */
export interface FftMonth {
  month: string;
  percentRecommend: number;
  responses: number;
}

export interface MeetingSource {
  /** Whether the meeting record is there yet (false: the pack says these sections await it). */
  readonly recorded: boolean;
  /** The provider's last meeting before `day`, if any. */
  lastMeeting(code: string, before: string): Promise<string | undefined>;
  reportsDue(code: string, meetingOn: string): Promise<ReportDue[]>;
  decisions(code: string, meetingOn: string): Promise<Decision[]>;
  fft(code: string, from: string, to: string): Promise<FftMonth[]>;
}

/** The meetings as the packs already produced know them; nothing of reports or decisions yet. */
export function packMeetings(models: Models): MeetingSource {
  return {
    recorded: false,
    async lastMeeting(code, before) {
      const [row] = await models.CqrgPack.find({ _id: { $gte: `${code}:`, $lt: `${code}:${before}` } }, { meetingOn: 1 }).sort({ _id: -1 }).limit(1).lean<{ meetingOn: string }[]>();
      return row?.meetingOn;
    },
    reportsDue: async () => [],
    decisions: async () => [],
    fft: async () => [],
  };
}

/** What became of a decision, in a sentence. */
function outcomeWords(o: DecisionOutcome | null): string {
  if (!o) return 'Not yet applied';
  if (o.status === 'refused') return `Not applied: ${o.reason ?? 'refused'}`;
  return o.reference ? `Applied: ${o.reference}${o.action ? `, action ${o.action}` : ''}` : 'Applied';
}

/** The meetings as the meeting record keeps them (records/cqrg-meeting), the packs' dates before it. */
export function meetingRecords(models: Models): MeetingSource {
  const before = packMeetings(models);
  const today = () => londonDate(Date.now());
  return {
    recorded: true,
    async lastMeeting(code, day) {
      const held = await lastMeeting(models, code, today(), day);
      return held?.meetingOn ?? (await before.lastMeeting(code, day));
    },
    async reportsDue(code, date) {
      const meeting = await meetingOn(models, code, date, today());
      return (meeting?.reports ?? []).map((r) => ({ theme: r.theme, dueOn: r.dueOn ?? date, status: r.status, ...(r.receivedOn && { receivedOn: r.receivedOn }) }));
    },
    async decisions(code, date) {
      const meeting = await meetingOn(models, code, date, today());
      return (meeting?.decisions ?? []).map((d) => ({ meetingOn: date, kind: d.kind, summary: d.summary, outcome: outcomeWords(d.outcome) }));
    },
    async fft(code, from, to) {
      // Each meeting's FFT report, by the meeting it was received for: its month the meeting's.
      const meetings = await meetingsBetween(models, code, from, to, today());
      return meetings
        .flatMap((m) => m.reports.filter((r) => r.theme === 'friends_and_family_test' && r.receivedOn && r.figures.fftRecommendPercent !== undefined).map((r) => ({ month: m.meetingOn.slice(0, 7), percentRecommend: r.figures.fftRecommendPercent!, responses: r.figures.fftResponses ?? 0 })));
    },
  };
}
