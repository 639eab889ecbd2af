import { ENGLAND_AND_WALES } from './england-and-wales';

/**
 * A plain calendar date, 'YYYY-MM-DD'. Dates (not instants) so a deadline
 * means the same thing whatever server timezone or clock it's computed on.
 */
export type IsoDate = string;

/**
 * Years we'll compute working days for. The bank holiday list for a year is only
 * trustworthy once it's published (one-offs like a funeral or coronation are
 * announced months ahead). A deadline in an unsupported year fails loudly instead
 * of being quietly wrong.
 */
export const FIRST_SUPPORTED_YEAR = 2015;
export const LAST_SUPPORTED_YEAR = 2035;

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed or impossible input: '2026-02-30', '9am', -1 working days. */
export class CalendarInputError extends CalendarError {
  constructor(
    message: string,
    readonly input: unknown,
  ) {
    super(message);
  }
}

/** The date needs the bank holidays of a year we don't know. */
export class CalendarRangeError extends CalendarError {
  constructor(readonly date: IsoDate) {
    super(
      `Cannot work out working days for ${date}: bank holidays are only known for ` +
        `${FIRST_SUPPORTED_YEAR}-01-01 to ${LAST_SUPPORTED_YEAR}-12-31`,
    );
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC rolls 2026-02-30 over to 2026-03-02, so round-tripping catches impossible dates.
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function assertIsoDate(value: unknown, what = 'date'): asserts value is IsoDate {
  if (!isIsoDate(value)) {
    throw new CalendarInputError(`Invalid ${what} ${JSON.stringify(value)}: expected a real calendar date as YYYY-MM-DD`, value);
  }
}

/**
 * Days since 1970-01-01. All date arithmetic goes through this integer, in UTC,
 * so neither the host timezone nor DST can shift a date by one.
 */
export function toDayNumber(date: IsoDate): number {
  assertIsoDate(date);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  const t = new Date(day * MS_PER_DAY);
  const y = t.getUTCFullYear();
  if (y < 0 || y > 9999) throw new CalendarInputError(`Date out of range (day ${day})`, day);
  return [String(y).padStart(4, '0'), pad2(t.getUTCMonth() + 1), pad2(t.getUTCDate())].join('-');
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

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

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
