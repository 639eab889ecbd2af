import {
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  Closures,
  londonDate,
  nextWorkingDay,
  subtractWorkingDays,
  workingDayOnOrBefore,
  workingDaysBetween,
  workingHoursInstant,
  workingHoursOnOrAfter,
} from './calendar';
import type { Deadline, IsoInstant, PlanDeadlineInput } from '../contracts/kernel/case';

/**
 * Turn a rule ("10 working days after the request", "6 calendar months after
 * receipt", "the date agreed with the complainant") into a due date with its
 * working-hours reminder and escalation instants and the reasoning behind it.
 * Used by the API (acknowledgement date on create) and the workflows' activity.
 */
export function planDeadline(input: PlanDeadlineInput, localClosures: Closures = []): Deadline {
  // Reg 2 of the 2009 complaints regulations: a statutory deadline counts every day but weekends,
  // Christmas Day, Good Friday and bank holidays; a local closure day moves only local ones.
  const calendar = input.calendar ?? 'local';
  const closures = calendar === 'statutory' ? [] : localClosures;
  let dueOn: string;
  let basis: Deadline['basis'];
  if (input.dueOn) {
    dueOn = input.dueOn;
    basis = { rule: `date agreed with the ${input.agreedWith ?? 'complainant'}`, calendar, start: input.from, weekendDaysSkipped: 0, skipped: [] };
  } else if (input.calendarMonths !== undefined) {
    dueOn = addCalendarMonths(input.from, input.calendarMonths);
    basis = {
      rule: `${input.calendarMonths} calendar months after ${input.from}`,
      calendar,
      start: input.from,
      calendarMonths: input.calendarMonths,
      weekendDaysSkipped: 0,
      skipped: [],
    };
  } else if (input.before) {
    const days = input.workingDays ?? 0;
    const back = subtractWorkingDays(input.before, days, closures);
    // What lies between the due date and the event explains it, as addWorkingDays would forwards.
    const worked = addWorkingDays(back, days, { closures });
    const passed = back < input.from ? `; that day (${back}) had already passed on ${input.from}, so it is due at once` : '';
    dueOn = passed ? input.from : back;
    basis = {
      rule: `${days} working days before ${input.before}, Mon-Fri excluding England and Wales bank holidays${calendar === 'local' ? ' and local closures' : ''}${passed}`,
      calendar,
      start: input.before,
      workingDays: days,
      weekendDaysSkipped: worked.weekendDaysSkipped,
      skipped: worked.skipped,
    };
  } else {
    const { resume } = input;
    const days = resume ? Math.max(1, workingDaysBetween(resume.pausedOn, resume.dueOn, closures)) : (input.workingDays ?? 0);
    const paused = resume ? `, the working days left when the clock was paused on ${resume.pausedOn} (then due ${resume.dueOn})` : '';
    const worked = addWorkingDays(input.from, days, {
      closures,
      rule:
        calendar === 'statutory'
          ? `${days} working days after ${input.from}${paused}, Mon-Fri excluding England and Wales bank holidays (complaints regulations 2009, reg 2)`
          : `${days} working days after ${input.from}${paused}, Mon-Fri excluding England and Wales bank holidays and local closures`,
    });
    dueOn = worked.due;
    basis = {
      rule: worked.rule,
      calendar,
      start: worked.start,
      workingDays: worked.workingDays,
      weekendDaysSkipped: worked.weekendDaysSkipped,
      skipped: worked.skipped,
    };
  }
  // Notifications go out at 09:00 London on a working day, never at midnight or weekends.
  // A task due on the day (a letter to write) is raised that morning; a missed deadline the next.
  const escalateOn = input.onTheDay ? workingDayOnOrBefore(dueOn, closures) : nextWorkingDay(dueOn, closures);
  const reminders = [
    ...(input.remindWorkingDaysBefore ?? []).map((days) => subtractWorkingDays(dueOn, days, closures)),
    ...(input.remindCalendarDaysBefore ?? []).map((days) => workingDayOnOrBefore(addCalendarDays(dueOn, -days), closures)),
  ]
    .filter((remindOn) => remindOn > input.from) // a reminder before the clock started is no reminder
    .sort()
    .map((remindOn) => workingHoursInstant(remindOn));
  let escalateAt = workingHoursInstant(escalateOn);
  let upcoming = [...new Set(reminders)];
  if (input.notBefore) {
    // Late: what has passed is not reminded of; a due date passed is acted on now, in working hours.
    const from = new Date(input.notBefore).toISOString();
    upcoming = upcoming.filter((at) => at >= from);
    if (escalateAt < from) escalateAt = workingHoursOnOrAfter(from, closures);
  }
  const deadline: Deadline = { id: input.id, dueOn, reminders: upcoming, escalateAt, basis };
  if (input.repeatEveryWorkingDays) deadline.repeatEveryWorkingDays = input.repeatEveryWorkingDays;
  return deadline;
}

/** The next escalation of a deadline that repeats until met: `workingDays` after the last, at 09:00. */
export function planRepeat(input: { after: IsoInstant; workingDays: number }, closures: Closures = []): IsoInstant {
  return workingHoursInstant(addWorkingDays(londonDate(input.after), input.workingDays, { closures }).due);
}
