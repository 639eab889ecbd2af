import { CalendarInputError, londonDate, workingHoursInstant, workingHoursOnOrAfter } from '../../lib/calendar';

describe('workingHoursInstant', () => {
  it.each([
    ['2026-07-01', '09:00', '2026-07-01T08:00:00.000Z'], // BST
    ['2026-12-01', '09:00', '2026-12-01T09:00:00.000Z'], // GMT
    ['2026-03-28', '09:00', '2026-03-28T09:00:00.000Z'], // Saturday before clocks go forward
    ['2026-03-30', '09:00', '2026-03-30T08:00:00.000Z'], // Monday after
    ['2026-10-23', '09:00', '2026-10-23T08:00:00.000Z'], // Friday before clocks go back
    ['2026-10-26', '09:00', '2026-10-26T09:00:00.000Z'], // Monday after
    ['2026-07-01', '16:30', '2026-07-01T15:30:00.000Z'],
    ['2022-06-15', '00:00', '2022-06-14T23:00:00.000Z'],
  ])('%s %s London is %s', (date, time, expected) => {
    expect(workingHoursInstant(date, time)).toBe(expected);
  });

  it('defaults to 09:00', () => {
    expect(workingHoursInstant('2026-07-01')).toBe('2026-07-01T08:00:00.000Z');
  });

  it.each(['9:00', '24:00', '12:60', '09:00:00', 'noon', ''])('rejects time %j', (time) => {
    expect(() => workingHoursInstant('2026-07-01', time)).toThrow(CalendarInputError);
  });

  it('rejects a time that does not exist when the clocks go forward, and bad dates', () => {
    expect(() => workingHoursInstant('2026-03-29', '01:30')).toThrow(/does not exist/);
    expect(() => workingHoursInstant('2026-02-30')).toThrow(CalendarInputError);
  });
});

describe('londonDate', () => {
  it.each([
    ['2026-06-30T23:30:00Z', '2026-07-01'], // BST: already 00:30 on 1 July
    ['2026-06-30T22:59:59Z', '2026-06-30'],
    ['2026-12-31T23:30:00Z', '2026-12-31'], // GMT
    ['2026-07-01T00:30:00+01:00', '2026-07-01'],
    ['2026-07-01T05:00:00-05:00', '2026-07-01'],
    ['2026-03-29T00:30:00.000Z', '2026-03-29'],
  ])('%s is %s in London', (instant, expected) => {
    expect(londonDate(instant)).toBe(expected);
  });

  it('accepts Date objects and epoch milliseconds', () => {
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDate(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it.each(['2026-07-01T00:30:00', '2026-07-01', 'yesterday', ''])('rejects %j (no offset, or not an instant)', (s) => {
    expect(() => londonDate(s)).toThrow(CalendarInputError);
  });

  it('rejects an invalid Date', () => {
    expect(() => londonDate(new Date(NaN))).toThrow(CalendarInputError);
    expect(() => londonDate(NaN)).toThrow(CalendarInputError);
  });
});

describe('workingHoursOnOrAfter', () => {
  it('keeps an instant inside working hours on a working day', () => {
    expect(workingHoursOnOrAfter('2026-07-01T10:15:00Z')).toBe('2026-07-01T10:15:00.000Z');
  });

  it('moves midnight to 09:00 the same working day', () => {
    expect(workingHoursOnOrAfter('2026-06-30T23:00:00Z')).toBe('2026-07-01T08:00:00.000Z');
    expect(workingHoursOnOrAfter('2026-12-01T00:00:00Z')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('moves evenings, weekends, bank holidays and closures to 09:00 on the next working day', () => {
    expect(workingHoursOnOrAfter('2026-07-03T16:30:00Z')).toBe('2026-07-06T08:00:00.000Z'); // Fri 17:30 BST
    expect(workingHoursOnOrAfter('2026-01-10T12:00:00Z')).toBe('2026-01-12T09:00:00.000Z'); // Saturday
    expect(workingHoursOnOrAfter('2026-12-24T18:00:00Z')).toBe('2026-12-29T09:00:00.000Z'); // Christmas
    expect(workingHoursOnOrAfter('2026-03-10T10:00:00Z', ['2026-03-10'])).toBe('2026-03-11T09:00:00.000Z');
  });

  it('takes custom hours and rejects empty ones', () => {
    expect(workingHoursOnOrAfter('2026-07-01T06:00:00Z', undefined, { start: '08:00', end: '18:00' })).toBe('2026-07-01T07:00:00.000Z');
    expect(() => workingHoursOnOrAfter('2026-07-01T10:00:00Z', undefined, { start: '17:00', end: '09:00' })).toThrow(CalendarInputError);
  });
});
