import { CalendarRangeError, subtractWorkingDays, type Closures } from '../../lib/calendar';
import { DEFAULTS, type Frequency, type ReportTheme } from '../../contracts/cqrg-meeting/definitions';

/**
 * Which reports a meeting is owed, from the provider's reporting plan. Pure, so the API (as it
 * opens a meeting) and the pages read one rule:
 * - `each_meeting`: due for every meeting of the cycle;
 * - `quarterly`: for the first meeting of the cycle in each calendar quarter;
 * - `yearly`: for the first meeting of the cycle in the plan's month (the Quality Account
 *   priorities, say, for the meeting after the Quality Account is published in June).
 * A meeting whose date the plan does not name (taken off it after it opened) is owed nothing.
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
  if (!plan.meetings.includes(meetingOn)) return [];
  const meetings = [...plan.meetings].sort();
  return plan.reports
    .filter((r) => {
      if (r.frequency === 'quarterly') return firstIn(meetings, meetingOn, quarterOf);
      if (r.frequency === 'yearly') return Number(meetingOn.slice(5, 7)) === r.month && firstIn(meetings, meetingOn, (d) => d.slice(0, 7));
      return true;
    })
    .map((r) => ({ theme: r.theme, workingDaysBefore: r.workingDaysBefore ?? DEFAULTS.workingDaysBefore }));
}

/** The stored plan, as the rules read it. */
export function asPlan(plan: { meetings: string[]; reports: { theme?: string | null; frequency?: string | null; workingDaysBefore?: number | null; month?: number | null }[] }): ReportingPlan {
  return {
    meetings: [...plan.meetings].sort(),
    reports: plan.reports.map((r) => ({ theme: r.theme as ReportTheme, frequency: r.frequency as Frequency, workingDaysBefore: r.workingDaysBefore, month: r.month })),
  };
}

/**
 * The day a meeting of the cycle is opened from the plan by itself: `openAheadWorkingDays` local
 * working days before the first reminder of its earliest report (its longest lead, then the
 * reminder's), so every report it owes is chased from its first reminder on.
 */
export function opensOn(plan: ReportingPlan, meetingOn: string, closures: Closures = []): string {
  const lead = Math.max(0, ...reportsDueAt(plan, meetingOn).map((r) => r.workingDaysBefore));
  try {
    return subtractWorkingDays(meetingOn, lead + Math.max(...DEFAULTS.remindWorkingDaysBefore) + DEFAULTS.openAheadWorkingDays, closures);
  } catch (err) {
    // A date the calendar does not cover yet (beyond its last year): opened as the next meeting.
    if (err instanceof CalendarRangeError) return meetingOn;
    throw err;
  }
}

/**
 * The meetings the plan opens by itself on `today` (docs/processes/cqrg-meeting.md, "the
 * horizon"): the next meeting of the cycle (today's included), and every later one whose opening
 * day (opensOn) has come. A meeting already past is never opened: it is recorded.
 */
export function meetingsToOpen(plan: ReportingPlan, today: string, closures: Closures = []): string[] {
  const ahead = plan.meetings.filter((m) => m >= today).sort();
  return ahead.filter((m, i) => i === 0 || opensOn(plan, m, closures) <= today);
}
