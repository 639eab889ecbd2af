/**
 * Plain calendar dates, with no bank holidays and no time zone library: what a request's schema
 * (lib/zod.ts) and so the contracts need, which the workflow bundle imports. The working days
 * build on it (./bank-holidays.ts, ./working-days.ts).
 */
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

/**
 * Same day-of-month `months` later (or earlier, if negative), clamped to the end
 * of a shorter month: 2026-08-31 + 6 = 2027-02-28. Plain calendar arithmetic, so
 * unlike the working-day functions it works outside the supported years.
 */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  assertIsoDate(date);
  if (!Number.isSafeInteger(months)) throw new CalendarInputError(`Invalid number of months ${months}`, months);
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const [year, month] = [Math.floor(total / 12), (((total % 12) + 12) % 12) + 1];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), lastDay);
  return addCalendarDays(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`, day - 1);
}

/** One formatter for London's calendar date (Intl, no library): a date's day begins at midnight in London. */
export const londonDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Europe/London calendar date of an instant in epoch milliseconds. */
export function londonDateOfMillis(ms: number): IsoDate {
  const parts: Record<string, string> = {};
  for (const { type, value } of londonDay.formatToParts(ms)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}` as IsoDate;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
