import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The same answers whatever TZ the API or worker host runs in: nothing may lean
 * on the host's local time. Jest sandboxes process.env, so setting TZ in-process
 * wouldn't reach the Date implementation; each zone gets its own node process.
 */
const ROOT = path.resolve(__dirname, '../..');

const SCRIPT = `
const c = require('./lib/calendar');
console.log(JSON.stringify({
  offset: new Date(2026, 0, 1).getTimezoneOffset(),
  answers: {
    holidays: [2020, 2022, 2023, 2026, 2027].map((y) => c.bankHolidaysInYear(y)),
    christmas: c.addWorkingDays('2026-12-23', 3),
    easter: c.addWorkingDays('2027-03-25', 1),
    before: c.subtractWorkingDays('2026-04-07', 1),
    months: c.addCalendarMonths('2026-08-31', 6),
    instant: c.workingHoursInstant('2026-07-01'),
    winter: c.workingHoursInstant('2026-12-01'),
    london: c.londonDate('2026-06-30T23:30:00Z'),
    reminder: c.workingHoursOnOrAfter('2026-01-10T12:00:00Z'),
    between: c.workingDaysBetween('2026-01-01', '2026-12-31'),
  },
}));`;

function runIn(tz: string): { offset: number; answers: unknown } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

it('gives the same answers in UTC, UTC+14, UTC-8 and UTC+5:30', () => {
  const utc = runIn('UTC');
  expect(utc.offset).toBe(0);
  expect(utc.answers).toMatchObject({ months: '2027-02-28', instant: '2026-07-01T08:00:00.000Z', between: 253 });
  for (const [tz, offset] of [
    ['Pacific/Kiritimati', -840],
    ['America/Los_Angeles', 480],
    ['Asia/Kolkata', -330],
  ] as const) {
    const other = runIn(tz);
    expect(other.offset).toBe(offset); // the zone really changed
    expect(other.answers).toEqual(utc.answers);
  }
});
