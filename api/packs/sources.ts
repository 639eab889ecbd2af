import type { Models } from '../../models';

/**
 * What the pack takes from the CQRG meeting's own records (issue 27's first half, built apart: the
 * reporting plan, the reports received, the meeting's record and decisions). Until that lands the
 * pack reads the last meeting from the packs produced before (`cqrg_packs`, keyed `RJ2:2026-12-08`)
 * and shows its reports due, decisions and FFT as empty sections that say so; the meeting record
 * supplies a MeetingSource of its own, and nothing else in the pack changes.
 */
export interface ReportDue {
  theme: string;
  dueOn: string;
  /** received, late or missing. */
  status: 'received' | 'late' | 'missing';
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
