import Holidays from 'date-holidays';
import {
  CalendarError,
  CalendarInputError,
  CalendarRangeError,
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  bankHoliday,
  bankHolidaysInYear,
  isIsoDate,
} from '../../lib/calendar';
import { fromLibrary } from '../../scripts/bank-holidays-table';

/**
 * England and Wales bank holidays as published on gov.uk (the weekday actually
 * taken off, so substitute days rather than a Christmas that falls on a Sunday).
 * Written out by hand, not generated from date-holidays, so the library is checked.
 */
const PUBLISHED: Record<number, string[]> = {
  2015: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2016: ['01-01', '03-25', '03-28', '05-02', '05-30', '08-29', '12-26', '12-27'],
  2017: ['01-02', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  // VE day moved the early May bank holiday to Friday 8 May.
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // Platinum Jubilee (spring bank holiday moved to 2 June, plus 3 June) and the Queen's funeral.
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  // Coronation of King Charles III.
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
};

describe('bank holidays', () => {
  it.each(Object.keys(PUBLISHED).map(Number))('matches the published list for %i', (year) => {
    expect(bankHolidaysInYear(year).map((h) => h.date)).toEqual(PUBLISHED[year].map((d) => `${year}-${d}`));
  });

  it('has eight regular bank holidays, all on weekdays, in every supported year', () => {
    for (let year = FIRST_SUPPORTED_YEAR; year <= LAST_SUPPORTED_YEAR; year++) {
      const list = bankHolidaysInYear(year);
      expect(list.length).toBeGreaterThanOrEqual(8);
      for (const { date } of list) expect([0, 6]).not.toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
    }
  });

  it('names the one-offs and substitute days', () => {
    expect(bankHoliday('2022-06-03')).toMatch(/Jubilee/);
    expect(bankHoliday('2022-09-19')).toMatch(/Funeral/);
    expect(bankHoliday('2023-05-08')).toMatch(/Coronation/);
    expect(bankHoliday('2020-05-08')).toMatch(/Early May/);
    expect(bankHoliday('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(bankHoliday('2027-12-27')).toBe('Christmas Day (substitute day)');
    expect(bankHoliday('2022-01-03')).toBe("New Year's Day (substitute day)");
    expect(bankHoliday('2026-12-25')).toBe('Christmas Day');
  });

  it('treats the weekend date of a substituted holiday as just a weekend', () => {
    expect(bankHoliday('2026-12-26')).toBeUndefined(); // Saturday; the holiday is Monday 28th
    expect(bankHoliday('2022-12-25')).toBeUndefined(); // Sunday; the holiday is Tuesday 27th
  });

  it('has no holiday on ordinary days, including the usual dates that moved', () => {
    expect(bankHoliday('2026-06-10')).toBeUndefined();
    expect(bankHoliday('2020-05-04')).toBeUndefined(); // early May moved to VE day
    expect(bankHoliday('2022-05-30')).toBeUndefined(); // spring moved to the Jubilee
  });

  it('is the same list for Wales as for England in every supported year', () => {
    const eng = new Holidays('GB', 'ENG', { types: ['public', 'bank'] });
    const wls = new Holidays('GB', 'WLS', { types: ['public', 'bank'] });
    for (let year = FIRST_SUPPORTED_YEAR; year <= LAST_SUPPORTED_YEAR; year++) {
      const dates = (h: Holidays) => h.getHolidays(year).map((x) => `${x.date} ${x.name}`);
      expect(dates(wls)).toEqual(dates(eng));
    }
  });

  // The calendar reads a table (lib/calendar/england-and-wales.ts) generated from the library, so
  // the workflows can plan in their sandbox: an upgrade of the library that changes a year fails
  // here, and regenerating the table is a workflow change (a patch), never a silent one.
  it('is the table generated from date-holidays, for every supported year', () => {
    for (let year = FIRST_SUPPORTED_YEAR; year <= LAST_SUPPORTED_YEAR; year++) {
      expect(bankHolidaysInYear(year).map((h) => [h.date, h.name])).toEqual(fromLibrary(year).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    }
  });

  it('refuses years outside the supported range', () => {
    expect(FIRST_SUPPORTED_YEAR).toBe(2015);
    expect(LAST_SUPPORTED_YEAR).toBe(2035);
    expect(() => bankHoliday('2014-12-31')).toThrow(CalendarRangeError);
    expect(() => bankHoliday('2036-01-01')).toThrow(CalendarRangeError);
    expect(() => bankHolidaysInYear(2036)).toThrow(CalendarRangeError);
    expect(() => bankHolidaysInYear(2014)).toThrow(CalendarRangeError);
    expect(bankHoliday('2015-01-01')).toBe("New Year's Day");
    expect(bankHoliday('2035-12-26')).toBe('Boxing Day');
  });

  it('names the date and the supported range in the range error', () => {
    const error = (() => {
      try {
        bankHoliday('2036-01-01');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CalendarRangeError);
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarRangeError).date).toBe('2036-01-01');
    expect((error as Error).name).toBe('CalendarRangeError');
    expect((error as Error).message).toContain('2036-01-01');
    expect((error as Error).message).toContain('2015-01-01 to 2035-12-31');
  });
});

describe('ISO dates', () => {
  it.each(['2026-01-01', '2024-02-29', '2026-12-31', '2015-06-30'])('accepts %s', (d) => {
    expect(isIsoDate(d)).toBe(true);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-05', '20260105', '', '2026-01-05T00:00:00Z', ' 2026-01-05'])(
    'rejects %j with a typed error',
    (d) => {
      expect(isIsoDate(d)).toBe(false);
      expect(() => bankHoliday(d)).toThrow(CalendarInputError);
    },
  );

  it('rejects non-strings', () => {
    expect(isIsoDate(20260105)).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
    expect(() => bankHoliday(undefined as unknown as string)).toThrow(CalendarInputError);
  });
});
