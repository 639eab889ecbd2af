import { ENGLAND_AND_WALES } from './england-and-wales';
import { type IsoDate, assertIsoDate, CalendarInputError, CalendarRangeError, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, toDayNumber } from './dates';

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

/** Day 0 (1970-01-01) was a Thursday. */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

/** Throws CalendarRangeError unless the date's year has a known holiday list. */
export function assertSupported(date: IsoDate): void {
  assertIsoDate(date);
  holidayIfSupported(date);
}

// England and Wales share one list (a test checks GB-WLS agrees for every supported year). The
// list is a table generated from the date-holidays library (./england-and-wales.ts): plain data,
// so the workflows can plan deadlines with it in Temporal's sandbox.
const byYear = new Map<number, ReadonlyMap<IsoDate, string>>();

function holidaysOf(year: number): ReadonlyMap<IsoDate, string> {
  let map = byYear.get(year);
  if (map) return map;
  map = new Map((ENGLAND_AND_WALES[year] ?? []).map(([day, name]) => [`${year}-${day}`, name]));
  byYear.set(year, map);
  return map;
}

/** Name of the England and Wales bank holiday on this date, if any. */
export function bankHoliday(date: IsoDate): string | undefined {
  assertIsoDate(date);
  return holidayIfSupported(date);
}

/**
 * The range check and lookup for a date already known to be valid, e.g. one made
 * by fromDayNumber: the working-day loops call this for every day they pass.
 */
export function holidayIfSupported(date: IsoDate): string | undefined {
  const year = Number(date.slice(0, 4));
  if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) throw new CalendarRangeError(date);
  return holidaysOf(year).get(date);
}

/** All bank holidays of a supported year, in date order (weekdays only). */
export function bankHolidaysInYear(year: number): { date: IsoDate; name: string }[] {
  if (!Number.isInteger(year)) throw new CalendarInputError(`Invalid year ${year}`, year);
  assertSupported(`${String(year).padStart(4, '0')}-01-01`);
  return [...holidaysOf(year)].map(([date, name]) => ({ date, name })).sort((a, b) => (a.date < b.date ? -1 : 1));
}
