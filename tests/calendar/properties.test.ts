import {
  FIRST_SUPPORTED_YEAR,
  addCalendarDays,
  addWorkingDays,
  isWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from '../../lib/calendar';

/** Every date from `first` to `last` inclusive. */
function datesFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

const dayCount = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

const CLOSURES = ['2026-02-16', '2026-07-15', '2026-12-24', '2026-12-31', '2026-12-28'];

describe.each([
  ['no closures', undefined],
  ['closures', CLOSURES],
])('every start date in 2026 (%s)', (_label, closures) => {
  const starts = datesFrom('2026-01-01', '2026-12-31');

  it.each([1, 2, 3, 5, 10, 20, 28, 40])('+ %i working days lands on the Nth working day after the start', (n) => {
    for (const start of starts) {
      const e = addWorkingDays(start, n, { closures });
      expect(isWorkingDay(e.due, closures)).toBe(true);
      expect(e.due > start).toBe(true);
      expect(workingDaysBetween(start, e.due, closures)).toBe(n);
      // Minimal: the working day before it would be one short.
      expect(workingDaysBetween(start, subtractWorkingDays(e.due, 1, closures), closures)).toBe(n - 1);
      // The explanation accounts for every calendar day passed.
      expect(e.skipped.length + e.weekendDaysSkipped + n).toBe(dayCount(start, e.due));
      for (const s of e.skipped) expect(s.date > start && s.date < e.due).toBe(true);
      if (isWorkingDay(start, closures)) expect(subtractWorkingDays(e.due, n, closures)).toBe(start);
    }
  });

  it('+ 0 working days is the start or the first working day after it', () => {
    for (const start of starts) {
      const e = addWorkingDays(start, 0, { closures });
      expect(isWorkingDay(e.due, closures)).toBe(true);
      expect(e.due >= start).toBe(true);
      expect(workingDaysBetween(start, e.due, closures)).toBe(isWorkingDay(start, closures) ? 0 : 1);
    }
  });
});

describe('every start date across the supported years', () => {
  it('+ 3 working days is never a weekend or bank holiday and matches the count', () => {
    for (const start of datesFrom(`${FIRST_SUPPORTED_YEAR}-01-01`, '2035-12-20')) {
      const { due } = addWorkingDays(start, 3);
      expect(isWorkingDay(due)).toBe(true);
      expect(workingDaysBetween(start, due)).toBe(3);
      expect(dayCount(start, due)).toBeLessThanOrEqual(8); // worst case: Christmas + two substitutes
    }
  });

  it('workingDaysBetween is antisymmetric and additive', () => {
    const samples = ['2015-03-02', '2019-12-20', '2022-06-01', '2023-05-05', '2026-12-23', '2031-08-29', '2035-12-31'];
    for (const a of samples) {
      for (const b of samples) {
        expect(workingDaysBetween(a, b)).toBe(0 - workingDaysBetween(b, a));
        for (const c of samples) expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
      }
    }
  });
});
