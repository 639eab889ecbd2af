import { completedBetween, reviewIndexKeys, reviewListRange } from '../../records/review/lists';
import { financialYear, financialYearOf, midYear } from '../../api/reports/period';
import { listKeys, projection } from '../../activities/review/activities';
import { reviewDueOn } from '../../records/review/start';
import { createReviewBody, engagementReportQuery, listReviewsQuery } from '../../api/reviews/schemas';
import { feedbackBody, recordReviewBody, rescheduleBody } from '../../contracts/review/inputs';
import { planDeadline } from '../../lib/deadlines';
import { pendingAlarms } from '../../workflows/kernel/alarms';
import type { Deadline } from '../../contracts/kernel/case';
import { verdict } from '../helpers/rules';
import { initialState, ReviewCase, reviewRules } from '../../workflows/review/case';
import type { ReviewState, ReviewWorkflowInput } from '../../contracts/review/definitions';
import { missingAssessments } from '../../contracts/review/definitions';
import { REVIEW_WORDS } from '../../contracts/review/vocabulary';
import { createReviewActivities } from '../../activities/review/activities';
import { renderEmail } from '../../mailer/render';
import type { NotificationRow } from '../../models/notification';

/** The review's rules alone: no server, no workflow, just state in and a verdict out. */

const input: ReviewWorkflowInput = { reference: 'PIR-2026-000001', ownerId: 'jo-bloggs', goLiveOn: '2026-03-02', scheduledOn: '2026-03-02' };
const review = planDeadline({ id: 'review', from: '2026-03-02', calendarMonths: 6, remindCalendarDaysBefore: [28, 7], onTheDay: true });
const overdue = planDeadline({ id: 'review_overdue', from: '2026-03-02', calendarMonths: 6, repeatEveryWorkingDays: 5 });
const scheduled = (over: Partial<ReviewState> = {}): ReviewState => ({ ...initialState(input), deadlines: { review, review_overdue: overdue }, ...over });

const pairs = [{ youSaid: 'Evening appointments', weDid: 'Two evening clinics a week' }];
const effects = { access: 'Waits down from 9 to 4 weeks', outcomes: 'HbA1c checks up 12%', experience: 'FFT positive 91%' };

describe('the due date: six calendar months after go-live', () => {
  test('the same day six months on', () => {
    expect(reviewDueOn('2026-03-02')).toBe('2026-09-02');
    expect(review.dueOn).toBe('2026-09-02');
    expect(review.basis).toMatchObject({ calendarMonths: 6, start: '2026-03-02' });
  });

  test('a day the target month lacks falls back to its last day: 31 August is the end of February, 29th in a leap year', () => {
    expect(reviewDueOn('2026-08-31')).toBe('2027-02-28');
    expect(reviewDueOn('2027-08-31')).toBe('2028-02-29');
    expect(reviewDueOn('2027-08-29')).toBe('2028-02-29');
    expect(reviewDueOn('2027-08-30')).toBe('2028-02-29');
    expect(reviewDueOn('2026-12-31')).toBe('2027-06-30');
    // The workflow plans through the same module: the same date.
    expect(planDeadline({ id: 'review', from: '2027-08-31', calendarMonths: 6 }).dueOn).toBe('2028-02-29');
  });

  test('reminders four weeks and one week before, as calendar days, on that day or the working day before', () => {
    // Due Wed 2 Sep 2026: 28 days before is Wed 5 Aug, 7 days before Wed 26 Aug.
    expect(review.reminders).toEqual(['2026-08-05T08:00:00.000Z', '2026-08-26T08:00:00.000Z']);
    // Due Sun 28 Feb 2027: reminders Fri 29 Jan and Fri 19 Feb; marked due Fri 26 Feb; overdue Mon 1 Mar.
    const endOfFeb = planDeadline({ id: 'review', from: '2026-08-31', calendarMonths: 6, remindCalendarDaysBefore: [28, 7], onTheDay: true });
    expect(endOfFeb.reminders).toEqual(['2027-01-29T09:00:00.000Z', '2027-02-19T09:00:00.000Z']);
    expect(endOfFeb.escalateAt).toBe('2027-02-26T09:00:00.000Z');
    expect(planDeadline({ id: 'review_overdue', from: '2026-08-31', calendarMonths: 6 }).escalateAt).toBe('2027-03-01T09:00:00.000Z');
  });

  test('scheduled late: a reminder already past is not sent; a due date already past is acted on from then, in working hours', () => {
    const late = (notBefore: string) => planDeadline({ id: 'review', from: '2026-03-02', calendarMonths: 6, remindCalendarDaysBefore: [28, 7], onTheDay: true, notBefore });
    expect(late('2026-08-20T12:00:00Z')).toMatchObject({ reminders: ['2026-08-26T08:00:00.000Z'], escalateAt: review.escalateAt });
    // Scheduled on Friday 2 Oct 2026 at 18:00 BST, a month past due: marked due on Monday at 09:00.
    expect(late('2026-10-02T17:00:00Z')).toMatchObject({ reminders: [], escalateAt: '2026-10-05T08:00:00.000Z' });
  });
});

describe('which alarms each state arms', () => {
  test('an open review: its reminders, due on the day, overdue the next working morning', () => {
    const alarms = pendingAlarms(scheduled().deadlines, reviewRules.armed(scheduled()), []);
    expect(alarms.map((a) => `${a.deadline}:${a.action}@${a.at.slice(0, 10)}`)).toEqual([
      'review:reminder@2026-08-05',
      'review:reminder@2026-08-26',
      'review:due@2026-09-02',
      'review_overdue:escalation@2026-09-03',
    ]);
    for (const status of ['due', 'overdue'] as const) expect(reviewRules.armed(scheduled({ status }))).toHaveLength(2);
  });

  test('a recorded or cancelled review arms nothing and is finished', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      expect(reviewRules.armed(scheduled({ status }))).toEqual([]);
      expect(reviewRules.finished(scheduled({ status }))).toBe(true);
    }
    expect(reviewRules.finished(scheduled({ status: 'overdue' }))).toBe(false);
  });

  test('the alarms mark the review due, then overdue', () => {
    const s = scheduled();
    reviewRules.alarms.due.apply!(s);
    expect(s.status).toBe('due');
    reviewRules.alarms.escalation.apply!(s);
    expect(s.status).toBe('overdue');
  });
});

describe('validators say why an event does not fit', () => {
  test('recording: an open review, not before go-live, with at least one "you said, we did" pair', () => {
    const open = new ReviewCase(scheduled({ status: 'overdue' }));
    expect(verdict(() => open.checkRecord({ reviewedOn: '2026-09-10', effects, youSaidWeDid: pairs }))).toBeUndefined();
    expect(verdict(() => open.checkRecord({ reviewedOn: '2026-03-01', effects, youSaidWeDid: pairs }))).toMatch(/cannot be before go-live/);
    expect(verdict(() => open.checkRecord({ reviewedOn: '2026-09-10', effects, youSaidWeDid: [] }))).toMatch(/at least one "you said, we did"/);
    expect(verdict(() => new ReviewCase(scheduled({ status: 'completed' })).checkRecord({ reviewedOn: '2026-09-10', effects, youSaidWeDid: pairs }))).toMatch(/it is completed/);
  });

  test('rescheduling: an open review, to a date ahead of the day and not the one it has', () => {
    const open = new ReviewCase(scheduled());
    expect(verdict(() => open.checkReschedule({ rescheduledOn: '2026-06-01', reason: 'Go-live slipped', dueOn: '2026-10-01' }))).toBeUndefined();
    expect(verdict(() => open.checkReschedule({ rescheduledOn: '2026-06-01', reason: 'x', dueOn: '2026-06-01' }))).toMatch(/must be after the day it is rescheduled/);
    expect(verdict(() => open.checkReschedule({ rescheduledOn: '2026-06-01', reason: 'x', dueOn: '2026-09-02' }))).toMatch(/already due on 2026-09-02/);
    expect(verdict(() => open.checkReschedule({ rescheduledOn: '2026-03-01', reason: 'x', dueOn: '2026-10-01' }))).toMatch(/cannot be before scheduling/);
    expect(verdict(() => new ReviewCase(scheduled({ status: 'cancelled' })).checkReschedule({ rescheduledOn: '2026-06-01', reason: 'x', dueOn: '2026-10-01' }))).toMatch(/it is cancelled/);
  });

  test('feedback to those who took part: a recorded review, not before it was recorded; told how and to whom as a group', () => {
    const recorded = scheduled({ status: 'completed', reviewedOn: '2026-09-10', effects, youSaidWeDid: pairs });
    const given = { givenOn: '2026-09-20', method: 'email' as const, to: 'Healthwatch Bexley members' };
    expect(verdict(() => new ReviewCase(recorded).checkFeedback(given))).toBeUndefined();
    expect(verdict(() => new ReviewCase(recorded).checkFeedback({ ...given, givenOn: '2026-09-09' }))).toMatch(/cannot be before the review \(2026-09-10\)/);
    expect(verdict(() => new ReviewCase(scheduled({ status: 'overdue' })).checkFeedback(given))).toMatch(/record the review first/);
    expect(verdict(() => new ReviewCase(scheduled({ status: 'cancelled' })).checkFeedback(given))).toMatch(/it is cancelled/);
    const full = { ...recorded, feedback: Array.from({ length: 20 }, () => ({ givenOn: '2026-09-20', method: 'email' as const, to: 'PAG members' })) };
    expect(verdict(() => new ReviewCase(full).checkFeedback(given))).toMatch(/20 times/);
    // To a group, never a person: an address or a number is refused at the edge.
    expect(feedbackBody.safeParse(given).success).toBe(true);
    expect(feedbackBody.safeParse({ ...given, to: 'jo.bloggs@example.org' }).error?.issues[0]).toMatchObject({ path: ['to'], message: expect.stringMatching(/a group, never a person/) });
    expect(feedbackBody.safeParse({ ...given, to: 'Call 07700 900123' }).success).toBe(false);
    expect(feedbackBody.safeParse({ ...given, method: 'carrier_pigeon' }).success).toBe(false);
    const p = projection({ ...recorded, feedback: [given] });
    expect(p.feedback).toEqual([given]);
    expect(REVIEW_WORDS.offered(recorded)).toEqual(['feedback', 'note']);
  });

  test('cancelling: an open review, not before it was scheduled', () => {
    expect(verdict(() => new ReviewCase(scheduled()).checkCancel({ cancelledOn: '2026-04-01', reason: 'Service decommissioned' }))).toBeUndefined();
    expect(verdict(() => new ReviewCase(scheduled()).checkCancel({ cancelledOn: '2026-03-01', reason: 'x' }))).toMatch(/before scheduling/);
    expect(verdict(() => new ReviewCase(scheduled({ status: 'completed' })).checkCancel({ cancelledOn: '2026-04-01', reason: 'x' }))).toMatch(/it is completed/);
  });
});

describe('request schemas', () => {
  const body = {
    serviceName: 'Community diabetes clinic',
    whatChanged: 'Moved from the acute site to three GP hubs',
    goLiveOn: '2026-03-02',
    owner: { id: 'Jo-Bloggs', name: 'Jo Bloggs', email: 'jo.bloggs@nhs.example' },
    assessments: { equalityImpact: { completed: true, link: 'https://docs.example/eia' }, qualityImpact: { completed: true }, engagementLog: { completed: false } },
    patientEngagement: 'Three listening events and a survey of 240 patients',
  };

  test('a schedule: the owner id is their sign-in subject, kept exactly; a link must be http(s); a due date past the calendar is refused', () => {
    expect(createReviewBody.parse(body).owner.id).toBe('Jo-Bloggs');
    expect(createReviewBody.parse({ ...body, owner: { id: 'jo.bloggs@nhs.example', name: 'Jo' } }).owner.id).toBe('jo.bloggs@nhs.example');
    expect(createReviewBody.safeParse({ ...body, owner: { id: 'jo bloggs', name: 'Jo' } }).success).toBe(false);
    expect(createReviewBody.safeParse({ ...body, assessments: { ...body.assessments, qualityImpact: { completed: true, link: 'javascript:alert(1)' } } }).success).toBe(false);
    const late = createReviewBody.safeParse({ ...body, goLiveOn: '2035-08-01' });
    expect(late.success).toBe(false);
    expect(late.error?.issues[0]).toMatchObject({ path: ['goLiveOn'], message: expect.stringMatching(/after 2035/) });
  });

  test('recording needs at least one pair; rescheduling needs exactly one of dueOn and goLiveOn', () => {
    const noPairs = recordReviewBody.safeParse({ reviewedOn: '2026-09-01', effects, youSaidWeDid: [] });
    expect(noPairs.error?.issues[0]).toMatchObject({ path: ['youSaidWeDid'], message: expect.stringMatching(/at least one/) });
    expect(rescheduleBody.safeParse({ rescheduledOn: '2026-09-01', reason: 'x' }).success).toBe(false);
    expect(rescheduleBody.safeParse({ rescheduledOn: '2026-09-01', reason: 'x', dueOn: '2026-10-01', goLiveOn: '2026-04-01' }).success).toBe(false);
    expect(rescheduleBody.safeParse({ rescheduledOn: '2026-09-01', reason: 'x', goLiveOn: '2026-04-01' }).success).toBe(true);
  });

  test('a due window is days or weeks, and not asked with overdue', () => {
    expect(listReviewsQuery.parse({ due: '30d' }).due).toBe(30);
    expect(listReviewsQuery.parse({ due: '6w' }).due).toBe(42);
    expect(listReviewsQuery.safeParse({ due: 'soon' }).success).toBe(false);
    expect(listReviewsQuery.safeParse({ due: '30d', overdue: 'true' }).success).toBe(false);
  });
});

describe('a service that went live without its EIA, QIA or engagement log (Bexley: completed at the start of planning)', () => {
  const all = { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } };

  test('which are missing, from the record’s yes/no flags', () => {
    expect(missingAssessments(all)).toEqual([]);
    expect(missingAssessments({ ...all, engagementLog: { completed: false } })).toEqual(['engagementLog']);
    expect(missingAssessments({ equalityImpact: { completed: false }, qualityImpact: { completed: false }, engagementLog: { completed: true } })).toEqual(['equalityImpact', 'qualityImpact']);
  });

  test('listed, by due date: a review whose workflow knows it went live without one; not one with all three', () => {
    const without = listKeys(scheduled({ missingAssessments: ['qualityImpact'] }));
    expect(without).toContain('review|ma|2026-09-02|PIR-2026-000001');
    expect(listKeys(scheduled())).not.toContain('review|ma|2026-09-02|PIR-2026-000001');
    expect(listKeys(scheduled({ missingAssessments: [] })).some((k) => k.startsWith('review|ma|'))).toBe(false);
    expect(reviewListRange({ missingAssessments: true }, '2026-08-10')).toEqual({ from: 'review|ma|', to: 'review|ma|~' });
    expect(listReviewsQuery.parse({ missingAssessments: 'true' }).missingAssessments).toBe(true);
    expect(listReviewsQuery.safeParse({ missingAssessments: 'false' }).success).toBe(false);
    expect(listReviewsQuery.safeParse({ missingAssessments: 'true', owner: 'jo-bloggs' }).success).toBe(false);
  });

  test('raised with the quality lead: the vocabulary’s words, the outbox naming what is missing, the email', () => {
    expect(REVIEW_WORDS.alarms['missing_assessments:missing_assessments']).toMatchObject({ audience: 'quality_lead' });
    const row = {
      _id: 'PIR-2026-000001:missing_assessments:2026-03-02', caseType: 'review', reference: 'PIR-2026-000001', kind: 'missing_assessments', deadline: 'missing_assessments',
      audience: 'quality_lead', dueOn: '2026-03-02', subject: 'PIR-2026-000001 (Diabetes clinic): Went live without: the quality impact assessment (QIA)', communicationNeeds: [], status: 'pending', createdAt: new Date(), attempts: 0,
    } as unknown as NotificationRow;
    const email = renderEmail(row, { baseUrl: 'http://localhost:3000', detail: 'minimal' }).text;
    expect(email).toMatch(/^PIR-2026-000001 went live without its impact assessments or engagement log/);
    expect(email).toContain('Went live without: the quality impact assessment (QIA)');
    expect(email).toContain('http://localhost:3000/reviews/PIR-2026-000001');
    expect(createReviewActivities).toBeDefined();
  });
});

describe('lists: key layouts in the case index', () => {
  test('an open review is under all, its owner, its status and open; a completed one also under the year it was recorded', () => {
    const keys = reviewIndexKeys({ reference: 'PIR-2026-000001', ownerId: 'jo-bloggs', status: 'due', dueOn: '2026-09-02' });
    expect(keys).toEqual([
      'review|all|2026-09-02|PIR-2026-000001',
      'review|o|jo-bloggs|2026-09-02|PIR-2026-000001',
      'review|st|due|2026-09-02|PIR-2026-000001',
      'review|ost|jo-bloggs|due|2026-09-02|PIR-2026-000001',
      'review|st|open|2026-09-02|PIR-2026-000001',
      'review|ost|jo-bloggs|open|2026-09-02|PIR-2026-000001',
    ]);
    const done = listKeys(scheduled({ status: 'completed', reviewedOn: '2026-09-10' }));
    expect(done).toContain('review|done|2026-09-10|PIR-2026-000001');
    expect(done).not.toContain('review|st|open|2026-09-02|PIR-2026-000001');
    // The engagement report's year is the financial year: 1 April to 31 March.
    const fy = financialYear(2026);
    const year = completedBetween(fy.from, fy.end);
    const inYear = (day: string) => `review|done|${day}|PIR-2026-000001` >= year.from && `review|done|${day}|PIR-2026-000001` < year.to;
    expect(['2026-04-01', '2026-09-10', '2027-01-01', '2027-03-31'].map(inYear)).toEqual([true, true, true, true]);
    expect(['2026-03-31', '2027-04-01'].map(inYear)).toEqual([false, false]);
  });

  test('the engagement report’s periods: the financial year of the annual report and accounts, and its mid-year review (April to September)', () => {
    expect(financialYear(2026)).toEqual({ year: 2026, from: '2026-04-01', to: '2027-03-31', end: '2027-04-01' });
    expect(midYear(2026)).toEqual({ year: 2026, from: '2026-04-01', to: '2026-09-30', end: '2026-10-01' });
    expect(['2026-03-31', '2026-04-01', '2026-12-04', '2027-03-31'].map(financialYearOf)).toEqual([2025, 2026, 2026, 2026]);
    expect(engagementReportQuery.parse({ year: '2026' })).toEqual({ year: 2026 });
    expect(engagementReportQuery.parse({ year: '2026', half: '1' })).toEqual({ year: 2026, half: 1 });
    expect(engagementReportQuery.safeParse({ year: '2026', half: '2' }).success).toBe(false);
  });

  test('a due window reads open reviews from today to N days ahead, both included; overdue those before today', () => {
    const today = '2026-08-10';
    const window = reviewListRange({ owner: 'jo-bloggs', dueWithinDays: 30 }, today);
    expect(window).toEqual({ from: 'review|ost|jo-bloggs|open|2026-08-10', to: 'review|ost|jo-bloggs|open|2026-09-10' });
    const inWindow = (key: string) => key >= window.from && key < window.to;
    expect(inWindow('review|ost|jo-bloggs|open|2026-09-09|PIR-2026-000009')).toBe(true);
    expect(inWindow('review|ost|jo-bloggs|open|2026-09-10|PIR-2026-000009')).toBe(false);
    expect(inWindow('review|ost|jo-bloggs|open|2026-08-10|PIR-2026-000009')).toBe(true);
    expect(reviewListRange({ overdue: true }, today)).toEqual({ from: 'review|st|open|0001', to: 'review|st|open|2026-08-10' });
    expect(reviewListRange({ status: 'completed' }, today)).toEqual({ from: 'review|st|completed|', to: 'review|st|completed|~' });
    expect(reviewListRange({}, today)).toEqual({ from: 'review|all|', to: 'review|all|~' });
  });

  test('the projection carries the due date, the recorded review and the whole state', () => {
    const p = projection(scheduled({ status: 'completed', reviewedOn: '2026-09-10', effects, youSaidWeDid: pairs }));
    expect(p).toMatchObject({ status: 'completed', dueOn: '2026-09-02', reviewedOn: '2026-09-10', effects, youSaidWeDid: pairs });
    expect((p.workflow.deadlines.review as Deadline).dueOn).toBe('2026-09-02');
  });
});
