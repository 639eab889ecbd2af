import type { Alarm, Deadline, IsoInstant } from '../../contracts/kernel/case';

/** A deadline the case's state still has to meet, and what its due date does (`escalation`, `task`, ...). */
export interface Arming {
  deadline: string;
  onDue: string;
}

export type Deadlines = Partial<Record<string, Deadline>>;

/**
 * The alarms still to act on, earliest first; derived from the state, never stored. A deadline's
 * reminders come first, then its due-date action, then any repeats of it. Keys name the deadline,
 * its due date and the action, so a moved date re-arms every alarm and a fired one never fires again.
 */
export function pendingAlarms(deadlines: Deadlines, armed: Arming[], fired: readonly string[]): Alarm[] {
  const alarms: Alarm[] = [];
  for (const { deadline: id, onDue } of armed) {
    const deadline = deadlines[id];
    if (!deadline) continue;
    const add = (action: string, at: string, nth: number) => {
      const key = `${id}:${deadline.dueOn}:${action}${nth > 1 ? `:${nth}` : ''}`;
      if (!fired.includes(key)) alarms.push({ key, deadline: id, action, at, dueOn: deadline.dueOn });
    };
    deadline.reminders.forEach((at, i) => add('reminder', at, i + 1));
    add(onDue, deadline.escalateAt, 1);
    deadline.repeats?.forEach((at, i) => add(onDue, at, i + 2));
  }
  return alarms.sort((a, b) => a.at.localeCompare(b.at));
}

/** True when this alarm is the latest due-date action of a deadline that repeats until met. */
export function repeatsAfter(deadline: Deadline | undefined, alarm: Alarm): deadline is Deadline & { repeatEveryWorkingDays: number } {
  if (!deadline?.repeatEveryWorkingDays || alarm.action === 'reminder') return false;
  return alarm.at === (deadline.repeats?.at(-1) ?? deadline.escalateAt);
}

/**
 * Reminders go out at 09:00 London on a working day (lib/deadlines.ts), so the day a reminder is
 * for is over fifteen hours later, at midnight London: no clock change falls in the night after a
 * working day (the clocks change early on a Sunday).
 */
const REMINDER_DAY_MS = 15 * 60 * 60 * 1000;

/**
 * True for a reminder whose day had ended by `now`: sent now it would remind no one of anything
 * ("due today" about a day gone by). One whose day is today still goes.
 */
export function reminderDayOver(alarm: Alarm, now: IsoInstant): boolean {
  return alarm.action === 'reminder' && Date.parse(alarm.at) + REMINDER_DAY_MS <= Date.parse(now);
}
