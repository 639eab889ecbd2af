import { addCalendarDays, dayOfWeek, type Closures, subtractWorkingDays, workingDayOnOrAfter } from '../../lib/calendar';
import { type CqrgPackInput, WEEKDAYS } from '../../contracts/action-plan/definitions';

/**
 * When a provider's CQRG meets, and when its chair gets the pack. Pure: the API (the schedule's
 * view) and the pack activity use the same rule.
 *
 * A meeting is the nth (or last) given weekday of each month; one that falls on a bank holiday or
 * a local closure day is held on the next working day. The pack is due `packWorkingDaysBefore`
 * local working days before the meeting ("N working days after D" counts from the day after D, so
 * 5 working days before a Tuesday meeting is the Tuesday before, a bank holiday Monday between
 * moving it to the Monday before that).
 */

export type MeetingRule = CqrgPackInput['meetings'];

/** The rule's meeting in a month (1-12), moved to the next working day if it is not one. */
export function meetingInMonth(year: number, month: number, rule: MeetingRule, closures: Closures = []): string {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const weekday = WEEKDAYS.indexOf(rule.weekday) + 1; // Monday 1 … Friday 5, as dayOfWeek
  const firstMatch = addCalendarDays(first, (weekday - dayOfWeek(first) + 7) % 7);
  let day = addCalendarDays(firstMatch, 7 * ((rule.nth === -1 ? 5 : rule.nth) - 1));
  if (rule.nth === -1) while (day.slice(5, 7) !== first.slice(5, 7)) day = addCalendarDays(day, -7);
  return workingDayOnOrAfter(day, closures);
}

/** The first meeting strictly after `day`. */
export function nextMeeting(day: string, rule: MeetingRule, closures: Closures = []): string {
  let year = Number(day.slice(0, 4));
  let month = Number(day.slice(5, 7));
  for (;;) {
    const meeting = meetingInMonth(year, month, rule, closures);
    if (meeting > day) return meeting;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

/** The day the chair gets a meeting's pack. */
export const packDay = (meetingOn: string, workingDaysBefore: number, closures: Closures = []) => subtractWorkingDays(meetingOn, workingDaysBefore, closures);
