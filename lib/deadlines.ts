import {
  addCalendarMonths,
  addWorkingDays,
  Closures,
  nextWorkingDay,
  subtractWorkingDays,
  workingDayOnOrBefore,
  workingHoursInstant,
} from './calendar';
import type { Deadline, PlanDeadlineInput } from '../workflows/complaint/definitions';

/** Kinds whose action is due on the day itself (a letter task), not the morning after. */
const ON_THE_DAY = new Set(['six_month_letter']);

/**
 * Turn a rule ("10 working days after the request", "6 calendar months after
 * receipt", "the date agreed with the complainant") into a due date with its
 * working-hours reminder and escalation instants and the reasoning behind it.
 * Used by the API (acknowledgement date on create) and the workflows' activity.
 */
export function planDeadline(input: PlanDeadlineInput, closures: Closures = []): Deadline {
  let dueOn: string;
  let basis: Deadline['basis'];
  if (input.dueOn) {
    dueOn = input.dueOn;
    basis = { rule: 'date agreed with the complainant', start: input.from, weekendDaysSkipped: 0, skipped: [] };
  } else if (input.calendarMonths !== undefined) {
    dueOn = addCalendarMonths(input.from, input.calendarMonths);
    basis = {
      rule: `${input.calendarMonths} calendar months after ${input.from}`,
      start: input.from,
      calendarMonths: input.calendarMonths,
      weekendDaysSkipped: 0,
      skipped: [],
    };
  } else {
    const days = input.workingDays ?? 0;
    const worked = addWorkingDays(input.from, days, {
      closures,
      rule: `${days} working days after ${input.from}, Mon-Fri excluding England and Wales bank holidays and local closures`,
    });
    dueOn = worked.due;
    basis = {
      rule: worked.rule,
      start: worked.start,
      workingDays: worked.workingDays,
      weekendDaysSkipped: worked.weekendDaysSkipped,
      skipped: worked.skipped,
    };
  }
  // Notifications go out at 09:00 London on a working day, never at midnight or weekends.
  const escalateOn = ON_THE_DAY.has(input.kind) ? workingDayOnOrBefore(dueOn, closures) : nextWorkingDay(dueOn, closures);
  const deadline: Deadline = { kind: input.kind, dueOn, escalateAt: workingHoursInstant(escalateOn), basis };
  if (input.remindWorkingDaysBefore) {
    const remindOn = subtractWorkingDays(dueOn, input.remindWorkingDaysBefore, closures);
    if (remindOn > input.from) deadline.remindAt = workingHoursInstant(remindOn);
  }
  return deadline;
}
