/**
 * The one working-day calendar for Oversight (docs/design.md, "Working days").
 * Pure and deterministic: no clock, no I/O; callers pass dates and instants in.
 */
export {
  type IsoDate,
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  CalendarError,
  CalendarInputError,
  CalendarRangeError,
  isIsoDate,
  assertIsoDate,
  addCalendarDays,
} from './dates';
export { dayOfWeek, isWeekend, bankHoliday, bankHolidaysInYear } from './bank-holidays';
export {
  type ClosureDay,
  type Closures,
  type SkippedDay,
  type DeadlineExplanation,
  DEFAULT_RULE,
  LONDON,
  isWorkingDay,
  addWorkingDays,
  subtractWorkingDays,
  nextWorkingDay,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  workingDaysBetween,
  addCalendarMonths,
  workingHoursInstant,
  workingHoursOnOrAfter,
  londonDate,
} from './working-days';
