import { DEFAULTS, type Frequency, type ReportTheme } from '../../contracts/cqrg-meeting/definitions';

/**
 * Which reports a meeting is owed, from the provider's reporting plan. Pure, so the API (as it
 * opens a meeting) and the pages read one rule:
 * - `each_meeting`: due for every meeting of the cycle;
 * - `quarterly`: for the first meeting of the cycle in each calendar quarter;
 * - `yearly`: for the first meeting of the cycle in the plan's month (the Quality Account
 *   priorities, say, for the meeting after the Quality Account is published in June).
 */
export interface ReportingPlan {
  meetings: string[];
  reports: { theme: ReportTheme; frequency: Frequency; workingDaysBefore?: number | null; month?: number | null }[];
}

const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3)}`;

/** Is `meetingOn` the first meeting of the cycle in its stretch (a quarter, a month)? */
function firstIn(meetings: string[], meetingOn: string, stretch: (day: string) => string): boolean {
  return !meetings.some((m) => m < meetingOn && stretch(m) === stretch(meetingOn));
}

export function reportsDueAt(plan: ReportingPlan, meetingOn: string): { theme: ReportTheme; workingDaysBefore: number }[] {
  const meetings = [...plan.meetings].sort();
  return plan.reports
    .filter((r) => {
      if (r.frequency === 'quarterly') return firstIn(meetings, meetingOn, quarterOf);
      if (r.frequency === 'yearly') return Number(meetingOn.slice(5, 7)) === r.month && firstIn(meetings, meetingOn, (d) => d.slice(0, 7));
      return true;
    })
    .map((r) => ({ theme: r.theme, workingDaysBefore: r.workingDaysBefore ?? DEFAULTS.workingDaysBefore }));
}
