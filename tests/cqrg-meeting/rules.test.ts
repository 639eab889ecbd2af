import { meetingsToOpen, opensOn, reportsDueAt } from '../../records/cqrg-meeting/plan';
import { reportStanding } from '../../records/cqrg-meeting/cycle';
import { CqrgMeetingCase, cqrgMeetingRules, initialState } from '../../workflows/cqrg-meeting/case';
import { receiveReportBody, recordMeetingBody } from '../../contracts/cqrg-meeting/inputs';
import { changesNothing, reportChanges } from '../../contracts/cqrg-meeting/replan';

/** The CQRG meeting's rules without a server: which reports a meeting is owed, their standing, the validators. */

const plan = {
  meetings: ['2027-01-12', '2027-02-09', '2027-04-13', '2027-06-08', '2027-06-29', '2027-07-13'],
  reports: [
    { theme: 'friends_and_family_test' as const, frequency: 'each_meeting' as const },
    { theme: 'wres' as const, frequency: 'quarterly' as const, workingDaysBefore: 15 },
    { theme: 'quality_account' as const, frequency: 'yearly' as const, month: 6 },
  ],
};

test('each meeting owes its each-meeting reports; a quarterly one at the first meeting of each quarter; a yearly one at the first meeting of its month', () => {
  const due = (d: string) => reportsDueAt(plan, d).map((r) => r.theme);
  expect(due('2027-01-12')).toEqual(['friends_and_family_test', 'wres']);
  expect(due('2027-02-09')).toEqual(['friends_and_family_test']);
  expect(due('2027-04-13')).toEqual(['friends_and_family_test', 'wres']);
  expect(due('2027-06-08')).toEqual(['friends_and_family_test', 'quality_account']);
  expect(due('2027-06-29')).toEqual(['friends_and_family_test']);
  expect(due('2027-07-13')).toEqual(['friends_and_family_test', 'wres']);
  expect(reportsDueAt(plan, '2027-01-12').find((r) => r.theme === 'wres')?.workingDaysBefore).toBe(15);
  expect(reportsDueAt(plan, '2027-01-12').find((r) => r.theme === 'friends_and_family_test')?.workingDaysBefore).toBe(10);
  // A date the plan does not name (a meeting taken off it after it opened) is owed nothing.
  expect(reportsDueAt(plan, '2027-03-09')).toEqual([]);
});

test('a meeting opens by itself a fortnight of working days before its earliest report\'s first reminder; the next meeting is always open, a past one never', () => {
  // 15 (WRES) + 5 (the first reminder) + 10 working days before 12 January 2027, skipping
  // Christmas Day, Boxing Day's substitute (Monday 28 December) and New Year's Day.
  expect(opensOn(plan, '2027-01-12')).toBe('2026-11-26');
  expect(opensOn(plan, '2027-02-09')).toBe('2027-01-05'); // FFT only: 10 + 5 + 10
  expect(opensOn(plan, '2027-02-09', ['2027-01-20'])).toBe('2027-01-04'); // a local closure day counts too
  expect(meetingsToOpen(plan, '2026-06-01')).toEqual(['2027-01-12']);
  expect(meetingsToOpen(plan, '2027-01-04')).toEqual(['2027-01-12']);
  expect(meetingsToOpen(plan, '2027-01-05')).toEqual(['2027-01-12', '2027-02-09']);
  expect(meetingsToOpen(plan, '2027-01-12')).toEqual(['2027-01-12', '2027-02-09']);
  expect(meetingsToOpen(plan, '2027-01-13')).toEqual(['2027-02-09']);
  expect(meetingsToOpen(plan, '2027-07-14')).toEqual([]);
});

test('a report is due, then late, then missing at the meeting; received whenever it comes', () => {
  const meeting = { meetingOn: '2027-01-12', recorded: false };
  expect(reportStanding({ dueOn: '2026-12-22' }, meeting, '2026-12-22')).toBe('due');
  expect(reportStanding({ dueOn: '2026-12-22' }, meeting, '2026-12-23')).toBe('late');
  expect(reportStanding({ dueOn: '2026-12-22' }, meeting, '2027-01-13')).toBe('missing');
  expect(reportStanding({ dueOn: '2026-12-22' }, { ...meeting, recorded: true }, '2027-01-05')).toBe('missing');
  expect(reportStanding({ dueOn: '2026-12-22', receivedOn: '2027-01-05' }, meeting, '2027-01-13')).toBe('received');
});

test('the validators refuse a report not owed or already in, and anything once the meeting is recorded; only reports still awaited are chased', () => {
  const s = initialState({ reference: 'CQM-2026-000001', providerCode: 'RJ2', meetingOn: '2027-01-12', openedOn: '2026-12-01', reports: [{ theme: 'wres', workingDaysBefore: 10 }, { theme: 'proms', workingDaysBefore: 10 }] });
  const rules = new CqrgMeetingCase(s);
  expect(() => rules.checkReceive({ theme: 'eds2', receivedOn: '2026-12-02', documents: ['a'.repeat(24)] })).toThrow(/owes no eds2 report/);
  s.reports[0].receivedOn = '2026-12-02';
  expect(() => rules.checkReceive({ theme: 'wres', receivedOn: '2026-12-03', documents: ['a'.repeat(24)] })).toThrow(/received on 2026-12-02 already/);
  expect(cqrgMeetingRules.armed(s).map((a) => a.deadline)).toEqual(['report:proms']);
  expect(() => rules.checkRecord({ heldOn: '2026-11-30', attendance: [{ role: 'cqrg_chair', count: 1 }], items: [], decisions: [] })).toThrow(/cannot be before the day it was opened/);
  s.status = 'recorded';
  expect(cqrgMeetingRules.armed(s)).toEqual([]);
  expect(cqrgMeetingRules.finished(s)).toBe(true);
  expect(() => rules.checkReceive({ theme: 'proms', receivedOn: '2026-12-03', documents: ['a'.repeat(24)] })).toThrow(/still to be recorded/);
});

test('the bodies say what each decision needs, and which theme a figure belongs to', () => {
  const record = recordMeetingBody.safeParse({ heldOn: '2026-12-01', attendance: [{ role: 'cqrg_chair', count: 1 }], items: [], decisions: [{ kind: 'open_action', summary: 'x' }, { kind: 'request_visit', summary: 'y' }] });
  expect(record.success).toBe(false);
  expect(record.error?.issues.map((i) => i.path.join('.'))).toEqual(['decisions.0.owner', 'decisions.0.dueOn', 'decisions.0.planTheme', 'decisions.0.planTitle', 'decisions.1.service']);
  const report = receiveReportBody.safeParse({ theme: 'proms', receivedOn: '2026-12-01', documents: ['a'.repeat(24)], figures: { fftResponses: 10 } });
  expect(report.error?.issues.map((i) => i.path.join('.'))).toEqual(['figures.fftResponses']);
});

test('a plan changed, as a meeting still to be held reads it: added, removed unless received, re-dated only while its date is to come', () => {
  const reports = [
    { theme: 'friends_and_family_test' as const, workingDaysBefore: 10, dueOn: '2027-01-20' },
    { theme: 'wres' as const, workingDaysBefore: 10, dueOn: '2027-01-20', receivedOn: '2027-01-05' },
    { theme: 'eds2' as const, workingDaysBefore: 10, dueOn: '2027-01-08', late: true },
    { theme: 'proms' as const, workingDaysBefore: 10, dueOn: '2027-01-20' },
  ];
  const owed = [
    { theme: 'friends_and_family_test' as const, workingDaysBefore: 15 },
    { theme: 'eds2' as const, workingDaysBefore: 5 },
    { theme: 'patient_surveys' as const, workingDaysBefore: 10 },
  ];
  expect(reportChanges(reports, owed, '2027-01-11')).toEqual({
    added: [{ theme: 'patient_surveys', workingDaysBefore: 10 }],
    removed: ['proms'], // WRES was received: it stays
    redated: [{ theme: 'friends_and_family_test', workingDaysBefore: 15 }], // EDS2 is late: it keeps its date
  });
  // Its due date come, a report is not re-dated.
  expect(reportChanges(reports, owed, '2027-01-20').redated).toEqual([]);
  expect(changesNothing(reportChanges(reports, reports, '2027-01-11'))).toBe(true);
});
