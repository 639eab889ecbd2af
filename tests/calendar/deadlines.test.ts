import { planDeadline, planRepeat } from '../../lib/deadlines';

/** Deadlines for any process: keyed by id, any number of reminders, escalations that repeat. */

test('a deadline reminds on each working day asked for, earliest first, never before its clock started', () => {
  // 20 working days after Mon 2 Nov 2026: Mon 30 Nov. 15 before: Mon 9 Nov; 5 before: Mon 23 Nov; 25 before: before the start.
  const review = planDeadline({ id: 'review', from: '2026-11-02', workingDays: 20, remindWorkingDaysBefore: [5, 15, 25] });
  expect(review).toMatchObject({ id: 'review', dueOn: '2026-11-30', escalateAt: '2026-12-01T09:00:00.000Z' });
  expect(review.reminders).toEqual(['2026-11-09T09:00:00.000Z', '2026-11-23T09:00:00.000Z']);
});

test('a task due on the day is raised that morning; a missed deadline the next working morning', () => {
  // Six calendar months after 1 Jun 2026 is Tue 1 Dec 2026.
  expect(planDeadline({ id: 'letter', from: '2026-06-01', calendarMonths: 6, onTheDay: true }).escalateAt).toBe('2026-12-01T09:00:00.000Z');
  expect(planDeadline({ id: 'window', from: '2026-06-01', calendarMonths: 6 }).escalateAt).toBe('2026-12-02T09:00:00.000Z');
});

test('a repeating escalation comes back every N working days, skipping the Christmas bank holidays', () => {
  const action = planDeadline({ id: 'action:42', from: '2026-12-01', workingDays: 10, repeatEveryWorkingDays: 5 });
  expect(action).toMatchObject({ id: 'action:42', dueOn: '2026-12-15', repeatEveryWorkingDays: 5 });
  // From Wed 16 Dec: Thu 17, Fri 18, Mon 21, Tue 22, Wed 23.
  expect(planRepeat({ after: action.escalateAt, workingDays: 5 })).toBe('2026-12-23T09:00:00.000Z');
  // From Wed 23 Dec: Thu 24, (Fri 25, Mon 28 bank holidays) Tue 29, Wed 30, Thu 31, Mon 4 Jan (Fri 1 Jan a bank holiday).
  expect(planRepeat({ after: '2026-12-23T09:00:00.000Z', workingDays: 5 })).toBe('2027-01-04T09:00:00.000Z');
  expect(planRepeat({ after: '2026-12-23T09:00:00.000Z', workingDays: 5 }, ['2026-12-29'])).toBe('2027-01-05T09:00:00.000Z');
});

test('a statutory deadline counts reg 2 working days, whatever the local closures; a local one skips them', () => {
  // Received Wednesday 2 December 2026; Thursday 3 December is a local closure day.
  const closures = ['2026-12-03'];
  const statutory = planDeadline({ id: 'acknowledgement', from: '2026-12-02', workingDays: 3, calendar: 'statutory', remindWorkingDaysBefore: [0] }, closures);
  expect(statutory).toMatchObject({ dueOn: '2026-12-07', reminders: ['2026-12-07T09:00:00.000Z'], escalateAt: '2026-12-08T09:00:00.000Z' });
  expect(statutory.basis).toMatchObject({ calendar: 'statutory', skipped: [], rule: expect.stringMatching(/reg 2/) });
  const local = planDeadline({ id: 'provider_account', from: '2026-12-02', workingDays: 3 }, closures);
  expect(local.dueOn).toBe('2026-12-08');
  expect(local.basis).toMatchObject({ calendar: 'local', skipped: [{ date: '2026-12-03', reason: 'closure' }] });
  // Christmas Day and Good Friday are never working days, on either calendar.
  expect(planDeadline({ id: 'a', from: '2026-12-23', workingDays: 3, calendar: 'statutory' }).dueOn).toBe('2026-12-30');
  // Thursday 25 March 2027, then Good Friday and Easter Monday.
  expect(planDeadline({ id: 'a', from: '2027-03-25', workingDays: 1, calendar: 'statutory' }).dueOn).toBe('2027-03-30');
});

test('reminders by calendar days ("four weeks and one week before") fall on that day, or the working day before it', () => {
  // Six months after Tue 10 Nov 2026: Mon 10 May 2027. 28 days before: Mon 12 Apr; 7 days before: Mon 3 May,
  // the Early May bank holiday, so Fri 30 Apr: a reminder comes early, never late.
  const review = planDeadline({ id: 'review', from: '2026-11-10', calendarMonths: 6, remindCalendarDaysBefore: [7, 28] });
  expect(review.dueOn).toBe('2027-05-10');
  expect(review.reminders).toEqual(['2027-04-12T08:00:00.000Z', '2027-04-30T08:00:00.000Z']);
  // Both kinds together, earliest first, one reminder for a day named twice.
  const both = planDeadline({ id: 'review', from: '2026-11-10', calendarMonths: 6, remindCalendarDaysBefore: [28], remindWorkingDaysBefore: [19] });
  expect(both.reminders).toEqual(['2027-04-12T08:00:00.000Z']);
  // A reminder before the clock started is dropped, whichever kind.
  expect(planDeadline({ id: 'review', from: '2027-04-20', dueOn: '2027-05-10', remindCalendarDaysBefore: [28, 7] }).reminders).toEqual(['2027-04-30T08:00:00.000Z']);
});

test('planned late (notBefore): past reminders are dropped, and a past due-date action goes out at the next working-hours moment', () => {
  // Due Wed 2 Sep 2026, reminders 5 Aug and 26 Aug, marked due that morning.
  const plan = (notBefore?: string) => planDeadline({ id: 'review', from: '2026-03-02', calendarMonths: 6, remindCalendarDaysBefore: [28, 7], onTheDay: true, notBefore });
  expect(plan('2026-08-20T11:00:00.000Z')).toMatchObject({ reminders: ['2026-08-26T08:00:00.000Z'], escalateAt: '2026-09-02T08:00:00.000Z' });
  // Past it all, in working hours (Tue 6 Oct, 11:00 BST): at once.
  expect(plan('2026-10-06T10:00:00.000Z')).toMatchObject({ reminders: [], escalateAt: '2026-10-06T10:00:00.000Z' });
  // On a Saturday evening: 09:00 on Monday.
  expect(plan('2026-10-10T19:00:00.000Z').escalateAt).toBe('2026-10-12T08:00:00.000Z');
  // Not late at all: as planned.
  expect(plan('2026-03-02T12:00:00.000Z')).toEqual(plan());
});

test('a paused clock resumes with the working days it had left when paused', () => {
  // Paused on Tue 2026-03-10 with the response due Fri 2026-03-20: 8 working days left.
  const resumed = planDeadline({ id: 'response', from: '2026-04-01', resume: { pausedOn: '2026-03-10', dueOn: '2026-03-20' } });
  // 8 working days after Wed 2026-04-01, skipping Good Friday and Easter Monday (3 and 6 April).
  expect(resumed.dueOn).toBe('2026-04-15');
  expect(resumed.basis).toMatchObject({ workingDays: 8, start: '2026-04-01' });
  expect(resumed.basis.rule).toMatch(/paused on 2026-03-10 \(then due 2026-03-20\)/);
  // Paused on or after the day it was due: one working day to answer, not none.
  expect(planDeadline({ id: 'response', from: '2026-04-01', resume: { pausedOn: '2026-03-20', dueOn: '2026-03-20' } }).dueOn).toBe('2026-04-02');
  // Local closures count against the days left, and against the days after.
  const closures = ['2026-03-12', '2026-04-02'];
  expect(planDeadline({ id: 'response', from: '2026-04-01', resume: { pausedOn: '2026-03-10', dueOn: '2026-03-20' } }, closures).dueOn).toBe('2026-04-15');
});

test('a deadline counted back from a date: so many working days before it, due on the day it was planned when that day has passed', () => {
  // 3 working days before Tue 5 Jan 2027: Wed 30 Dec 2026, past New Year's Day (a bank holiday, named) and a weekend.
  const info = planDeadline({ id: 'information', from: '2026-12-01', before: '2027-01-05', workingDays: 3 });
  expect(info).toMatchObject({ dueOn: '2026-12-30', escalateAt: '2026-12-31T09:00:00.000Z' });
  expect(info.basis).toMatchObject({ start: '2027-01-05', workingDays: 3, weekendDaysSkipped: 2, skipped: [{ date: '2027-01-01', reason: 'bank-holiday' }] });
  expect(info.basis.rule).toMatch(/^3 working days before 2027-01-05/);
  // A local closure day counts against it too.
  expect(planDeadline({ id: 'information', from: '2026-12-01', before: '2027-01-05', workingDays: 3 }, ['2026-12-31']).dueOn).toBe('2026-12-29');
  // Planned later than that: due on the day it is planned, and the basis says why.
  const late = planDeadline({ id: 'notice', from: '2026-12-31', before: '2027-01-05', workingDays: 3, onTheDay: true });
  expect(late).toMatchObject({ dueOn: '2026-12-31', escalateAt: '2026-12-31T09:00:00.000Z' });
  expect(late.basis.rule).toMatch(/had already passed on 2026-12-31/);
});
