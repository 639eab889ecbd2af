import { DateTime } from 'luxon';
import { assertSupported, holidayIfSupported, weekdayOfDayNumber } from './bank-holidays';
import { type IsoDate, CalendarInputError, addCalendarMonths, assertIsoDate, fromDayNumber, londonDateOfMillis, toDayNumber } from './dates';

export { addCalendarMonths };

export const LONDON = 'Europe/London';

/** A day an administrator closed the office; a bare date or a date with a reason. */
export type ClosureDay = IsoDate | { date: IsoDate; name?: string };
export type Closures = readonly ClosureDay[];

export type SkippedDay = { date: IsoDate; reason: 'bank-holiday' | 'closure'; name: string };

/**
 * How a deadline was worked out, stored with the deadline so "why is this
 * overdue?" has an answer. Plain JSON so it survives Mongo and Temporal payloads.
 * Weekends are only counted: listing every Saturday buries the holidays.
 */
export interface DeadlineExplanation {
  start: IsoDate;
  workingDays: number;
  due: IsoDate;
  rule: string;
  /** Bank holidays and closure days passed over, in date order. */
  skipped: SkippedDay[];
  weekendDaysSkipped: number;
}

/** Rule recorded when the caller doesn't name one (e.g. 'acknowledgement'). */
export const DEFAULT_RULE = 'working days: Mon-Fri excluding England and Wales bank holidays and closures';

type Off = { reason: 'weekend' } | SkippedDay;

function closureIndex(closures: Closures | undefined): ReadonlyMap<IsoDate, string> {
  const index = new Map<IsoDate, string>();
  for (const c of closures ?? []) {
    const [date, name] = typeof c === 'string' ? [c, undefined] : [c.date, c.name];
    assertIsoDate(date, 'closure date');
    index.set(date, name?.trim() || 'Local closure day');
  }
  return index;
}

/**
 * Why day number `day` isn't a working day, or undefined if it is. Checks the
 * range even for weekends, so a year we don't know always throws.
 * A closure on a bank holiday is reported as the bank holiday (it'd be off anyway).
 */
function offReason(day: number, closed: ReadonlyMap<IsoDate, string>): Off | undefined {
  const date = fromDayNumber(day);
  const holiday = holidayIfSupported(date);
  const weekday = weekdayOfDayNumber(day);
  if (weekday === 0 || weekday === 6) return { reason: 'weekend' };
  if (holiday !== undefined) return { date, reason: 'bank-holiday', name: holiday };
  const closure = closed.get(date);
  if (closure !== undefined) return { date, reason: 'closure', name: closure };
  return undefined;
}

function assertDayCount(days: number): void {
  if (Number.isSafeInteger(days) && days >= 0) return;
  throw new CalendarInputError(`Invalid number of working days ${days}: expected a non-negative integer`, days);
}

export function isWorkingDay(date: IsoDate, closures?: Closures): boolean {
  return offReason(toDayNumber(date), closureIndex(closures)) === undefined;
}

/**
 * The day N working days after `start`, counting from the day after it (so a
 * Monday + 1 is Tuesday). N = 0 means "no later than start": start itself if
 * it's a working day, else the next working day, so a deadline never lands on a
 * day nobody is in.
 */
export function addWorkingDays(
  start: IsoDate,
  days: number,
  options: { closures?: Closures; rule?: string } = {},
): DeadlineExplanation {
  assertDayCount(days);
  assertSupported(start);
  const closed = closureIndex(options.closures);
  const skipped: SkippedDay[] = [];
  let weekendDaysSkipped = 0;
  let day = toDayNumber(start);
  let counted = 0;
  // With N = 0 the start day itself is a candidate; otherwise it never is.
  if (days > 0) day++;
  for (;;) {
    const off = offReason(day, closed);
    if (!off) {
      if (++counted >= Math.max(days, 1)) break;
    } else if (off.reason === 'weekend') weekendDaysSkipped++;
    else skipped.push(off);
    day++;
  }
  const rule = options.rule ?? DEFAULT_RULE;
  return { start, workingDays: days, due: fromDayNumber(day), rule, skipped, weekendDaysSkipped };
}

/**
 * The working day N working days before `due` (for reminders): the mirror of
 * addWorkingDays, so addWorkingDays(subtractWorkingDays(d, n), n).due === d for
 * any working day d. N = 0 gives the last working day on or before `due`.
 */
export function subtractWorkingDays(due: IsoDate, days: number, closures?: Closures): IsoDate {
  assertDayCount(days);
  assertSupported(due);
  const closed = closureIndex(closures);
  // N = 0 starts one day later so the first day examined is `due` itself.
  let day = toDayNumber(due) + (days === 0 ? 1 : 0);
  for (let counted = 0; counted < Math.max(days, 1); ) {
    day--;
    if (!offReason(day, closed)) counted++;
  }
  return fromDayNumber(day);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate, closures?: Closures): IsoDate {
  return addWorkingDays(date, 1, { closures }).due;
}

export function workingDayOnOrAfter(date: IsoDate, closures?: Closures): IsoDate {
  return addWorkingDays(date, 0, { closures }).due;
}

export function workingDayOnOrBefore(date: IsoDate, closures?: Closures): IsoDate {
  return subtractWorkingDays(date, 0, closures);
}

/**
 * Working days in (from, to]: how many working days `to` is past `from`, e.g.
 * days overdue = workingDaysBetween(due, today). Zero when to === from, and
 * negative (minus the working days in (to, from]) when `to` is earlier, so it's
 * antisymmetric; callers wanting "overdue or not" clamp with Math.max(0, …).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, closures?: Closures): number {
  assertSupported(from);
  assertSupported(to);
  const closed = closureIndex(closures);
  const [a, b] = [toDayNumber(from), toDayNumber(to)];
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (!offReason(day, closed)) count++;
  return count === 0 ? 0 : sign * count; // never -0
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The UTC instant (ISO-8601, 'Z') of a London wall-clock time on a date:
 * 09:00 is 08:00Z in summer (BST) and 09:00Z in winter (GMT). Doesn't check the
 * date is a working day: pick it with the functions above first.
 */
export function workingHoursInstant(date: IsoDate, time = '09:00'): string {
  assertIsoDate(date);
  const m = HH_MM.exec(time);
  if (!m) throw new CalendarInputError(`Invalid time ${JSON.stringify(time)}: expected HH:mm (24-hour)`, time);
  const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  const local = DateTime.fromObject({ year, month, day, hour, minute }, { zone: LONDON });
  // Luxon silently moves a time in the spring-forward gap (01:xx) an hour on.
  if (!local.isValid || local.hour !== hour || local.minute !== minute) {
    throw new CalendarInputError(`${date} ${time} does not exist in ${LONDON} (clocks go forward)`, time);
  }
  return local.toUTC().toJSDate().toISOString();
}

function toDateTime(instant: Date | string | number): DateTime {
  // An ISO string without an offset could be London or UTC time; refuse to guess.
  const dt =
    instant instanceof Date ? DateTime.fromJSDate(instant)
    : typeof instant === 'number' ? DateTime.fromMillis(instant)
    : typeof instant === 'string' && /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i.test(instant) ? DateTime.fromISO(instant)
    : DateTime.invalid('unparseable');
  if (dt.isValid) return dt;
  throw new CalendarInputError(`Invalid instant ${JSON.stringify(instant)}: expected a Date, epoch ms or ISO with offset`, instant);
}

/** The Europe/London calendar date of an instant (2026-06-30T23:30Z is 1 July in BST). */
export function londonDate(instant: Date | string | number): IsoDate {
  return londonDateOfMillis(toDateTime(instant).toMillis());
}

/**
 * The earliest instant at or after `instant` inside working hours on a working
 * day, as an ISO 'Z' string, so a timer that fires at midnight or on a Saturday
 * sends its reminder at 09:00 on the next working day instead.
 */
export function workingHoursOnOrAfter(
  instant: Date | string | number,
  closures?: Closures,
  hours: { start: string; end: string } = { start: '09:00', end: '17:00' },
): string {
  const at = toDateTime(instant).toMillis();
  const date = londonDate(instant);
  if (isWorkingDay(date, closures)) {
    const open = Date.parse(workingHoursInstant(date, hours.start));
    const close = Date.parse(workingHoursInstant(date, hours.end));
    if (open >= close) throw new CalendarInputError(`Working hours ${hours.start}-${hours.end} are empty`, hours);
    if (at < open) return new Date(open).toISOString();
    if (at < close) return new Date(at).toISOString();
  }
  return workingHoursInstant(nextWorkingDay(date, closures), hours.start);
}
