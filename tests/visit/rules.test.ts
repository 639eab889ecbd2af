import { visitIndexKeys, visitListRanges } from '../../records/visit/lists';
import { projection } from '../../activities/visit/activities';
import { createVisitBody, listVisitsQuery } from '../../api/visits/schemas';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { CURRENT_VERSION, unmetDeadlines, VisitCase, visitRules, initialState } from '../../workflows/visit/case';
import { DEFAULTS, noticeId, type VisitState, type VisitWorkflowInput } from '../../contracts/visit/definitions';
import { pendingAlarms } from '../../workflows/kernel/alarms';
import { deadline, verdict } from '../helpers/rules';

/** The visit's rules alone: no server, no workflow, just state in and a verdict out. */

const input: VisitWorkflowInput = {
  reference: 'VIS-2026-000001',
  providerCode: 'RJ2',
  plannedOn: '2026-03-02',
  announced: true,
  reasons: ['complaints', 'cqrg_concern'],
  linkedComplaints: ['CMP-2026-000007'],
  visitDate: '2026-03-30',
  panel: [
    { id: 'member-1', role: 'lay_member' },
    { id: 'member-2', role: 'patient_representative' },
    { id: 'qo-7', role: 'quality_team' },
  ],
  settings: { noticeWorkingDays: 10, draftReportWorkingDays: 15, factualAccuracyWorkingDays: 10 },
};
const actor = { id: 'qo-9', name: 'Robin Reviewer', role: 'quality_team' };

const planned = (over: Partial<VisitState> = {}): VisitState => ({
  ...initialState(input),
  deadlines: { visit: deadline('visit', '2026-03-30'), [noticeId('2026-03-30')]: deadline(noticeId('2026-03-30'), '2026-03-16'), information: deadline('information', '2026-03-25') },
  ...over,
});

const armed = (s: VisitState) => visitRules.armed(s).map((a) => `${a.deadline}:${a.onDue}`);

describe('which deadlines each state arms', () => {
  test('an announced visit notifies the provider once per date, then awaits its information; the panel is reminded of the visit', () => {
    expect(armed(planned())).toEqual(['provider_notice:2026-03-30:notify_provider', 'visit:escalation']);
    const notified = planned({ providerNotifiedOn: '2026-03-16', providerNotifiedFor: '2026-03-30' });
    expect(armed(notified)).toEqual(['information:escalation', 'visit:escalation']);
    expect(unmetDeadlines(notified)).toEqual(['information', 'visit']);
    // Postponed after the notice: the provider is told of the new date.
    expect(armed({ ...notified, visitDate: '2026-04-20' })).toContain('provider_notice:2026-04-20:notify_provider');
    expect(armed({ ...notified, informationReceivedOn: '2026-03-20' })).toEqual(['visit:escalation']);
  });

  test('a notice is one per visit date: postponed the day a notice went, to a date whose notice is due that same day, the provider is told again', () => {
    const fired = ['provider_notice:2026-03-30:2026-03-16:notify_provider'];
    const notified = planned({ providerNotifiedOn: '2026-03-16', providerNotifiedFor: '2026-03-30' });
    const postponed = { ...notified, visitDate: '2026-03-27', deadlines: { ...notified.deadlines, [noticeId('2026-03-27')]: deadline(noticeId('2026-03-27'), '2026-03-16') } };
    const alarms = pendingAlarms(postponed.deadlines, visitRules.armed(postponed), fired);
    expect(alarms.filter((a) => a.action === 'notify_provider').map((a) => a.key)).toEqual(['provider_notice:2026-03-27:2026-03-16:notify_provider']);
  });

  test('an unannounced visit arms nothing for the provider before it', () => {
    const s = planned({ announced: false, deadlines: { visit: deadline('visit', '2026-03-30') } });
    expect(armed(s)).toEqual(['visit:escalation']);
    expect(pendingAlarms(s.deadlines, visitRules.armed(s), []).map((a) => a.deadline)).toEqual(['visit']);
  });

  test('after the visit: the draft report, the provider’s window (which ends by itself), the review, the final report', () => {
    expect(armed(planned({ status: 'visited' }))).toEqual(['draft_report:escalation']);
    expect(armed(planned({ status: 'draft_issued' }))).toEqual(['factual_accuracy:window_end']);
    expect(armed(planned({ status: 'comments_received' }))).toEqual(['comments_review:escalation']);
    expect(armed(planned({ status: 'finalising' }))).toEqual(['final_report:escalation']);
    expect(armed(planned({ status: 'completed' }))).toEqual([]);
    expect(visitRules.finished(planned({ status: 'cancelled' }))).toBe(true);
  });

  test('the window ending by itself finalises without comments; the notice records when and for which date', () => {
    const s = planned({ status: 'draft_issued', deadlines: { factual_accuracy: deadline('factual_accuracy', '2026-05-01') } });
    visitRules.alarms.window_end.apply!(s);
    expect(s).toMatchObject({ status: 'finalising', factualAccuracy: { endedOn: '2026-05-01', comments: false } });
    const p = planned();
    visitRules.alarms.notify_provider.apply!(p);
    expect(p).toMatchObject({ providerNotifiedOn: '2026-03-16', providerNotifiedFor: '2026-03-30' });
  });
});

describe('validators say why an event does not fit', () => {
  test('re-dating: a planned visit, later or earlier, to the day it is re-dated or after; not to the date it has', () => {
    const c = new VisitCase(planned());
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-04-20', reason: 'Ward closed to visitors (norovirus)' }))).toBeUndefined();
    // Brought forward, to the very day it is re-dated: held today instead.
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-03-10', reason: 'Held early at the ward manager’s request' }))).toBeUndefined();
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-03-09', reason: 'x' }))).toMatch(/cannot be before the day the visit was re-dated/);
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-03-30', reason: 'x' }))).toMatch(/already planned for/);
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-01', newVisitDate: '2026-04-20', reason: 'x' }))).toMatch(/cannot be before the plan/);
    expect(verdict(() => new VisitCase(planned({ status: 'visited' })).checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-04-20', reason: 'x' }))).toMatch(/not yet taken place/);
  });

  test('an announced visit brought forward inside its notice period needs a reason; later, unannounced or with full notice it does not', () => {
    const c = new VisitCase(planned());
    const forward = { postponedOn: '2026-03-10', newVisitDate: '2026-03-16', reason: 'Ward manager asked for an earlier date' };
    // Full notice (10 working days from 10 March) needs 24 March or later.
    expect(c.checksNotice(forward)).toBe(true);
    expect(verdict(() => c.checkShortNotice(forward, '2026-03-24'))).toMatch(/inside the provider’s notice period of 10 working days.*2026-03-24 or later.*shortNoticeReason/);
    expect(verdict(() => c.checkShortNotice({ ...forward, shortNoticeReason: 'Concerns about night staffing need seeing at once' }, '2026-03-24'))).toBeUndefined();
    expect(verdict(() => c.checkShortNotice({ ...forward, newVisitDate: '2026-03-24' }, '2026-03-24'))).toBeUndefined();
    expect(c.checksNotice({ ...forward, newVisitDate: '2026-04-20' })).toBe(false);
    expect(new VisitCase(planned({ announced: false })).checksNotice(forward)).toBe(false);
  });

  test('before this version: a postponement only to a later day than it was postponed on, and no reason for short notice', () => {
    const c = new VisitCase(planned(), { ...CURRENT_VERSION, heldOnItsDate: false });
    expect(verdict(() => c.checkPostpone({ postponedOn: '2026-03-10', newVisitDate: '2026-03-10', reason: 'x' }))).toMatch(/after the day the visit was postponed/);
    expect(c.checksNotice({ postponedOn: '2026-03-10', newVisitDate: '2026-03-16', reason: 'x' })).toBe(false);
  });

  test('information: only from an announced visit’s provider, once it was asked, once', () => {
    expect(verdict(() => new VisitCase(planned()).checkInformation({ receivedOn: '2026-03-17' }))).toMatch(/not yet been told/);
    const notified = planned({ providerNotifiedOn: '2026-03-16', providerNotifiedFor: '2026-03-30' });
    expect(verdict(() => new VisitCase(notified).checkInformation({ receivedOn: '2026-03-17' }))).toBeUndefined();
    expect(verdict(() => new VisitCase(notified).checkInformation({ receivedOn: '2026-03-13' }))).toMatch(/before the request/);
    expect(verdict(() => new VisitCase({ ...notified, announced: false }).checkInformation({ receivedOn: '2026-03-17' }))).toMatch(/unannounced/);
    expect(verdict(() => new VisitCase({ ...notified, informationReceivedOn: '2026-03-17' }).checkInformation({ receivedOn: '2026-03-18' }))).toMatch(/was received on/);
  });

  test('the visit, then the draft report after it', () => {
    expect(verdict(() => new VisitCase(planned()).checkTookPlace({ visitedOn: '2026-03-30' }))).toBeUndefined();
    // A visit takes place on its date: held on another day, it is re-dated first.
    for (const other of ['2026-03-01', '2026-03-04', '2026-03-31']) {
      expect(verdict(() => new VisitCase(planned()).checkTookPlace({ visitedOn: other }))).toBe(
        `the visit is planned for 2026-03-30, not ${other}: a visit takes place on its date; to record it on another day, re-date it first (postpone, with a reason)`,
      );
    }
    // Before this version: any day from the plan on (histories may hold one).
    const before = { ...CURRENT_VERSION, heldOnItsDate: false };
    expect(verdict(() => new VisitCase(planned(), before).checkTookPlace({ visitedOn: '2026-03-04' }))).toBeUndefined();
    expect(verdict(() => new VisitCase(planned(), before).checkTookPlace({ visitedOn: '2026-03-01' }))).toMatch(/before its plan/);
    expect(verdict(() => new VisitCase(planned()).checkDraftReport({ sentOn: '2026-04-01' }))).toMatch(/follows the visit/);
    const visited = planned({ status: 'visited', visitedOn: '2026-03-30' });
    expect(verdict(() => new VisitCase(visited).checkDraftReport({ sentOn: '2026-03-27' }))).toMatch(/cannot be before the visit/);
  });

  test('factual-accuracy comments: within the window only; after it ended by itself, refused saying so', () => {
    const issued = planned({ status: 'draft_issued', draftSentOn: '2026-04-10', deadlines: { factual_accuracy: deadline('factual_accuracy', '2026-04-24') } });
    expect(verdict(() => new VisitCase(issued).checkProviderComments({ receivedOn: '2026-04-24' }))).toBeUndefined();
    expect(verdict(() => new VisitCase(issued).checkProviderComments({ receivedOn: '2026-04-27' }))).toMatch(/window closed on 2026-04-24/);
    const lapsed = { ...issued, status: 'finalising' as const, factualAccuracy: { endedOn: '2026-04-24', comments: false } };
    expect(verdict(() => new VisitCase(lapsed).checkProviderComments({ receivedOn: '2026-04-27' }))).toMatch(/ended on 2026-04-24 without comments/);
  });

  test('the comments are reviewed by someone who was not on the panel: the acting user, or the one named', () => {
    const received = planned({ status: 'comments_received', commentsReceivedOn: '2026-04-20' });
    const c = new VisitCase(received);
    expect(verdict(() => c.checkReview({ actor, reviewedOn: '2026-04-21', changesMade: true }))).toBeUndefined();
    expect(verdict(() => c.checkReview({ actor: { ...actor, id: 'qo-7' }, reviewedOn: '2026-04-21', changesMade: true }))).toMatch(/qo-7 sat on the visit’s panel/);
    expect(verdict(() => c.checkReview({ actor, reviewerId: 'qo-7', reviewedOn: '2026-04-21', changesMade: false }))).toMatch(/not on it/);
    expect(verdict(() => c.checkReview({ actor: { ...actor, id: 'qo-7' }, reviewerId: 'qo-11', reviewedOn: '2026-04-21', changesMade: false }))).toBeUndefined();
    expect(verdict(() => c.checkReview({ actor, reviewedOn: '2026-04-19', changesMade: true }))).toMatch(/before the comments/);
  });

  test('the final report: after the review (or the window), recommendations due after it', () => {
    expect(verdict(() => new VisitCase(planned({ status: 'comments_received' })).checkFinalReport({ publishedOn: '2026-05-01', recommendations: [] }))).toMatch(/reviewed first/);
    const finalising = planned({ status: 'finalising', review: { reviewedOn: '2026-04-21', reviewerId: 'qo-9', changesMade: true } });
    const c = new VisitCase(finalising);
    expect(verdict(() => c.checkFinalReport({ publishedOn: '2026-05-01', recommendations: [{ summary: 'Daily fluid charts', dueOn: '2026-07-01' }] }))).toBeUndefined();
    expect(verdict(() => c.checkFinalReport({ publishedOn: '2026-04-20', recommendations: [] }))).toMatch(/before the review/);
    expect(verdict(() => c.checkFinalReport({ publishedOn: '2026-05-01', recommendations: [{ summary: 'a' }, { summary: 'b', dueOn: '2026-05-01' }] }))).toMatch(/recommendation 2 must be due after/);
    const lapsed = planned({ status: 'finalising', factualAccuracy: { endedOn: '2026-04-24', comments: false } });
    expect(verdict(() => new VisitCase(lapsed).checkFinalReport({ publishedOn: '2026-04-23', recommendations: [] }))).toMatch(/end of the factual-accuracy window/);
  });

  test('cancellation: only before the visit', () => {
    expect(verdict(() => new VisitCase(planned()).checkCancel({ cancelledOn: '2026-03-05', reason: 'Provider in special measures; CQC inspecting' }))).toBeUndefined();
    expect(verdict(() => new VisitCase(planned({ status: 'visited' })).checkCancel({ cancelledOn: '2026-04-05', reason: 'x' }))).toMatch(/not yet taken place/);
  });
});

describe('dates counted back from the visit', () => {
  test('the provider is told 10 working days ahead (about two weeks), at once when the visit is closer than that', () => {
    // Monday 21 December 2026: 10 working days before is Monday 7 December.
    const notice = planDeadline({ id: 'provider_notice', from: '2026-11-23', before: '2026-12-21', workingDays: DEFAULTS.noticeWorkingDays, onTheDay: true });
    expect(notice).toMatchObject({ dueOn: '2026-12-07', escalateAt: '2026-12-07T09:00:00.000Z', basis: { start: '2026-12-21', workingDays: 10, weekendDaysSkipped: 4 } });
    const late = planDeadline({ id: 'provider_notice', from: '2026-12-15', before: '2026-12-21', workingDays: 10, onTheDay: true });
    expect(late.dueOn).toBe('2026-12-15');
    expect(late.basis.rule).toMatch(/already passed on 2026-12-15/);
  });

  test('a visit date given says in its basis who it was agreed with', () => {
    expect(planDeadline({ id: 'visit', from: '2026-11-23', dueOn: '2026-12-21', agreedWith: 'panel' }).basis.rule).toBe('date agreed with the panel');
  });
});

describe('lists', () => {
  test('a visit is listed by next deadline, and by the month of its visit date', () => {
    const s = planned({ providerNotifiedOn: '2026-03-16', providerNotifiedFor: '2026-03-30' });
    const p = projection(s);
    expect(p).toMatchObject({ status: 'planned', nextDueOn: '2026-03-25', nextDeadlineKind: 'information', visitDate: '2026-03-30' });
    const keys = visitIndexKeys({ ...s, ...p });
    expect(keys).toEqual(expect.arrayContaining([
      'visit|all|2026-03-25|VIS-2026-000001',
      'visit|pst|RJ2|open|2026-03-25|VIS-2026-000001',
      'visit|m|2026-03|2026-03-30|VIS-2026-000001',
      'visit|mps|2026-03|RJ2|planned|2026-03-30|VIS-2026-000001',
    ]));
    expect(keys).toHaveLength(12);
    expect(visitIndexKeys({ ...s, ...projection({ ...s, status: 'completed' }) })).toHaveLength(8);
    const [month] = visitListRanges({ month: '2026-03', provider: 'RJ2' }, '2026-03-20');
    expect(keys.filter((k) => k >= month.from && k < month.to)).toEqual(['visit|mp|2026-03|RJ2|2026-03-30|VIS-2026-000001']);
    const [overdue] = visitListRanges({ status: 'open', overdue: true }, '2026-03-26');
    expect(keys.filter((k) => k >= overdue.from && k < overdue.to)).toEqual(['visit|st|open|2026-03-25|VIS-2026-000001']);
  });
});

describe('the plan as the API takes it', () => {
  const today = londonDate(Date.now());
  const plan = (over: Record<string, unknown> = {}) => ({
    providerCode: 'RJ2',
    service: 'Ward 7',
    reasons: ['friends_and_family_test'],
    announced: true,
    visitDate: addCalendarDays(today, 30),
    panel: [
      { name: 'Pat Lay', role: 'lay_member' },
      { name: 'Jo Rep', role: 'patient_representative' },
    ],
    ...over,
  });
  const problems = (body: object) => {
    const r = createVisitBody.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('a panel without a lay member or a patient representative is refused, saying which', () => {
    expect(problems(plan())).toEqual([]);
    expect(problems(plan({ panel: [{ name: 'Pat Lay', role: 'lay_member' }, { name: 'Dr Who', role: 'clinician' }] }))).toEqual([
      'panel: the panel must include at least one lay member and one patient representative: it has no patient representative',
    ]);
    expect(problems(plan({ panel: [{ name: 'A', role: 'clinician' }, { name: 'B', role: 'quality_team' }] }))[0]).toMatch(/no lay member and no patient representative/);
  });

  test('an unannounced visit may be logged after it took place (how long after, the API counts in working days)', () => {
    expect(problems(plan({ announced: false, visitDate: addCalendarDays(today, -3) }))).toEqual([]);
    expect(problems(plan({ announced: true, visitDate: addCalendarDays(today, -3) }))).toEqual(['visitDate: cannot be in the past: only an unannounced visit may be logged after it took place']);
  });

  test('other refusals name their field', () => {
    expect(problems(plan({ visitDate: addCalendarDays(today, -1) }))).toEqual(['visitDate: cannot be in the past: only an unannounced visit may be logged after it took place']);
    expect(problems(plan({ announced: false, noticeWorkingDays: 5 }))).toEqual(['noticeWorkingDays: an unannounced visit gives the provider no notice']);
    expect(problems(plan({ linkedComplaints: ['CMP-2026-000001', 'CMP-2026-000001'] }))).toEqual(['linkedComplaints.1: CMP-2026-000001 is listed twice']);
    expect(problems(plan({ reasons: [] }))).toEqual(['reasons: give at least one reason']);
    expect(problems(plan({ panel: [...plan().panel, { name: 'S', role: 'quality_team', staffId: 'qo-1' }, { name: 'T', role: 'clinician', staffId: 'qo-1' }] }))).toEqual(['panel.3.staffId: qo-1 is on the panel already']);
    expect(listVisitsQuery.safeParse({ month: '2026-13' }).success).toBe(false);
    expect(listVisitsQuery.safeParse({ month: '2026-03', overdue: 'true' }).success).toBe(false);
  });
});
