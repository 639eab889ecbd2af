import {
  CalendarInputError,
  CalendarRangeError,
  DEFAULT_RULE,
  addCalendarMonths,
  addWorkingDays,
  isWorkingDay,
  nextWorkingDay,
  subtractWorkingDays,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  workingDaysBetween,
} from '../../lib/calendar';

const due = (start: string, days: number, closures?: string[]) => addWorkingDays(start, days, { closures }).due;

describe('isWorkingDay', () => {
  it('is Monday to Friday except bank holidays and closures', () => {
    expect(isWorkingDay('2026-01-05')).toBe(true); // Monday
    expect(isWorkingDay('2026-01-09')).toBe(true); // Friday
    expect(isWorkingDay('2026-01-10')).toBe(false); // Saturday
    expect(isWorkingDay('2026-01-11')).toBe(false); // Sunday
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-03-10')).toBe(true);
    expect(isWorkingDay('2026-03-10', ['2026-03-10'])).toBe(false);
    expect(isWorkingDay('2026-03-10', [{ date: '2026-03-10', name: 'Office move' }])).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('counts from the day after the start', () => {
    expect(due('2026-01-05', 1)).toBe('2026-01-06');
    expect(due('2026-01-05', 5)).toBe('2026-01-12');
    expect(due('2026-01-05', 20)).toBe('2026-02-02');
  });

  it('skips weekends and counts them without listing them', () => {
    const e = addWorkingDays('2026-01-09', 1); // Friday
    expect(e).toEqual({ start: '2026-01-09', workingDays: 1, due: '2026-01-12', rule: DEFAULT_RULE, skipped: [], weekendDaysSkipped: 2 });
    expect(due('2026-01-10', 1)).toBe('2026-01-12'); // from a Saturday
    expect(due('2026-01-11', 1)).toBe('2026-01-12'); // from a Sunday
  });

  it('gets Christmas 2026 right: 25th, Saturday 26th and substitute Monday 28th are off', () => {
    const e = addWorkingDays('2026-12-23', 3, { rule: 'complaint acknowledgement' });
    expect(e).toEqual({
      start: '2026-12-23',
      workingDays: 3,
      due: '2026-12-30',
      rule: 'complaint acknowledgement',
      skipped: [
        { date: '2026-12-25', reason: 'bank-holiday', name: 'Christmas Day' },
        { date: '2026-12-28', reason: 'bank-holiday', name: 'Boxing Day (substitute day)' },
      ],
      weekendDaysSkipped: 2,
    });
  });

  it.each([
    ['2027-12-24', 1, '2027-12-29', 'Christmas and Boxing Day both at a weekend, both substituted'],
    ['2020-12-24', 1, '2020-12-29', 'Boxing Day on Saturday, substitute Monday 28th'],
    ['2021-12-24', 1, '2021-12-29', 'Christmas on Saturday: 27th and 28th off'],
    ['2022-12-23', 1, '2022-12-28', 'Christmas on Sunday: substitute Tuesday 27th'],
    ['2021-12-31', 1, '2022-01-04', "New Year's Day 2022 on Saturday: substitute Monday 3rd"],
    ['2022-12-30', 1, '2023-01-03', "New Year's Day 2023 on Sunday: substitute Monday 2nd"],
    ['2025-12-24', 2, '2025-12-30', 'ordinary Christmas 2025'],
    ['2026-12-31', 1, '2027-01-04', "New Year's Day 2027 on Friday, across the year end"],
  ])('%s + %i = %s (%s)', (start, days, expected) => {
    expect(due(start, days)).toBe(expected);
  });

  it.each([
    ['2025-04-17', '2025-04-22'],
    ['2026-04-02', '2026-04-07'],
    ['2027-03-25', '2027-03-30'],
  ])('skips Good Friday and Easter Monday: %s + 1 = %s', (start, expected) => {
    const e = addWorkingDays(start, 1);
    expect(e.due).toBe(expected);
    expect(e.skipped.map((s) => s.name)).toEqual(['Good Friday', 'Easter Monday']);
    expect(e.weekendDaysSkipped).toBe(2);
  });

  it('skips the 2022 Jubilee, the Queen’s funeral and the 2023 coronation', () => {
    expect(due('2022-06-01', 1)).toBe('2022-06-06');
    expect(due('2022-05-27', 1)).toBe('2022-05-30'); // the usual spring bank holiday moved
    expect(due('2022-09-16', 1)).toBe('2022-09-20');
    const e = addWorkingDays('2023-04-28', 5);
    expect(e.due).toBe('2023-05-09');
    expect(e.skipped.map((s) => s.date)).toEqual(['2023-05-01', '2023-05-08']);
    expect(e.skipped[1].name).toMatch(/Coronation/);
    expect(due('2020-05-07', 1)).toBe('2020-05-11'); // VE day
  });

  it('skips closure days and lists them with a name', () => {
    const e = addWorkingDays('2026-03-09', 2, {
      closures: ['2026-03-10', { date: '2026-03-16', name: 'Office move' }, { date: '2026-04-03', name: 'ignored' }],
    });
    expect(e.due).toBe('2026-03-12');
    expect(e.skipped).toEqual([{ date: '2026-03-10', reason: 'closure', name: 'Local closure day' }]);
    const longer = addWorkingDays('2026-03-09', 6, { closures: ['2026-03-10', { date: '2026-03-16', name: 'Office move' }] });
    expect(longer.due).toBe('2026-03-19');
    expect(longer.skipped.map((s) => [s.date, s.reason, s.name])).toEqual([
      ['2026-03-10', 'closure', 'Local closure day'],
      ['2026-03-16', 'closure', 'Office move'],
    ]);
  });

  it('reports a closure on a bank holiday or weekend as the holiday or weekend', () => {
    const e = addWorkingDays('2026-04-02', 1, { closures: ['2026-04-03', '2026-04-04'] });
    expect(e.skipped).toEqual([
      { date: '2026-04-03', reason: 'bank-holiday', name: 'Good Friday' },
      { date: '2026-04-06', reason: 'bank-holiday', name: 'Easter Monday' },
    ]);
    expect(e.weekendDaysSkipped).toBe(2);
  });

  it('with 0 days returns the start if it is a working day, else the next one', () => {
    expect(due('2026-01-07', 0)).toBe('2026-01-07');
    expect(due('2026-01-10', 0)).toBe('2026-01-12');
    expect(addWorkingDays('2026-12-25', 0)).toMatchObject({
      due: '2026-12-29',
      skipped: [
        { date: '2026-12-25', reason: 'bank-holiday' },
        { date: '2026-12-28', reason: 'bank-holiday' },
      ],
      weekendDaysSkipped: 2,
    });
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects %p days', (days) => {
    expect(() => addWorkingDays('2026-01-05', days)).toThrow(CalendarInputError);
    expect(() => subtractWorkingDays('2026-01-05', days)).toThrow(CalendarInputError);
  });

  it('rejects invalid dates and closure dates', () => {
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(CalendarInputError);
    expect(() => addWorkingDays('26-01-05', 1)).toThrow(CalendarInputError);
    expect(() => addWorkingDays('2026-01-05', 1, { closures: ['2026-02-30'] })).toThrow(/closure date/);
  });
});

describe('neighbouring working days', () => {
  it('nextWorkingDay is strictly after', () => {
    expect(nextWorkingDay('2026-01-07')).toBe('2026-01-08');
    expect(nextWorkingDay('2026-01-09')).toBe('2026-01-12');
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(nextWorkingDay('2026-01-07', ['2026-01-08'])).toBe('2026-01-09');
  });

  it('workingDayOnOrAfter / OnOrBefore keep a working day and move off a day off', () => {
    expect(workingDayOnOrAfter('2026-01-07')).toBe('2026-01-07');
    expect(workingDayOnOrAfter('2026-12-25')).toBe('2026-12-29');
    expect(workingDayOnOrBefore('2026-01-07')).toBe('2026-01-07');
    expect(workingDayOnOrBefore('2026-12-28')).toBe('2026-12-24');
    expect(workingDayOnOrBefore('2026-04-06')).toBe('2026-04-02');
    expect(workingDayOnOrBefore('2026-01-07', ['2026-01-07'])).toBe('2026-01-06');
  });
});

describe('subtractWorkingDays', () => {
  it('is the mirror of addWorkingDays', () => {
    expect(subtractWorkingDays('2026-12-30', 3)).toBe('2026-12-23');
    expect(subtractWorkingDays('2026-12-29', 1)).toBe('2026-12-24');
    expect(subtractWorkingDays('2026-01-12', 1)).toBe('2026-01-09');
    expect(subtractWorkingDays('2026-01-10', 1)).toBe('2026-01-09'); // from a Saturday
    expect(subtractWorkingDays('2026-04-07', 1)).toBe('2026-04-02');
    expect(subtractWorkingDays('2026-03-12', 2, ['2026-03-10'])).toBe('2026-03-09');
  });
});

describe('workingDaysBetween', () => {
  it('counts working days in (from, to], negative when to is earlier', () => {
    expect(workingDaysBetween('2026-12-23', '2026-12-30')).toBe(3);
    expect(workingDaysBetween('2026-12-30', '2026-12-23')).toBe(-3);
    expect(workingDaysBetween('2026-01-07', '2026-01-07')).toBe(0);
    expect(workingDaysBetween('2026-01-09', '2026-01-11')).toBe(0); // Friday to Sunday: not overdue yet
    expect(workingDaysBetween('2026-01-09', '2026-01-12')).toBe(1);
    expect(workingDaysBetween('2026-01-01', '2026-12-31')).toBe(253);
    expect(workingDaysBetween('2026-03-09', '2026-03-12', ['2026-03-10'])).toBe(2);
  });
});

describe('addCalendarMonths', () => {
  it.each([
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-15', 12, '2027-05-15'],
    ['2026-05-15', 0, '2026-05-15'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2035-10-15', 6, '2036-04-15'], // no holidays needed, so no range limit
  ])('%s + %i months = %s', (start, months, expected) => {
    expect(addCalendarMonths(start, months)).toBe(expected);
  });

  it('rejects bad input', () => {
    expect(() => addCalendarMonths('2026-02-30', 1)).toThrow(CalendarInputError);
    expect(() => addCalendarMonths('2026-02-03', 1.5)).toThrow(CalendarInputError);
  });
});

describe('supported range', () => {
  it.each(['2014-12-31', '2036-01-01'])('refuses %s', (d) => {
    expect(() => isWorkingDay(d)).toThrow(CalendarRangeError);
    expect(() => addWorkingDays(d, 1)).toThrow(CalendarRangeError);
    expect(() => subtractWorkingDays(d, 1)).toThrow(CalendarRangeError);
    expect(() => workingDaysBetween('2026-01-01', d)).toThrow(CalendarRangeError);
  });

  it('refuses a weekend day outside the range too', () => {
    expect(() => isWorkingDay('2036-01-05')).toThrow(CalendarRangeError); // Saturday
  });

  it('works up to the edges and throws when a computation crosses them', () => {
    expect(due('2035-12-28', 1)).toBe('2035-12-31');
    expect(() => due('2035-12-28', 2)).toThrow(/2036-01-01.*2015-01-01 to 2035-12-31/);
    expect(due('2015-01-01', 1)).toBe('2015-01-02');
    expect(subtractWorkingDays('2015-01-05', 1)).toBe('2015-01-02');
    expect(() => subtractWorkingDays('2015-01-02', 1)).toThrow(CalendarRangeError);
    expect(() => workingDaysBetween('2035-12-28', '2036-01-02')).toThrow(CalendarRangeError);
  });
});
