import { actionPlanIndexKeys, actionRanges, amberUntil, dashboardRanges, openDueBy, ragOn } from '../../records/action-plan/lists';
import { meetingInMonth, nextMeeting, packDay } from '../../records/action-plan/meetings';
import { touchedActions } from '../../activities/action-plan/activities';
import { createActionPlanBody, listActionsQuery } from '../../api/action-plans/schemas';
import { completeActionBody } from '../../contracts/action-plan/inputs';
import { planDeadline } from '../../lib/deadlines';
import { ActionPlanCase, actionPlanRules, initialState, ragOfPlanned, statusOf } from '../../workflows/action-plan/case';
import { type ActionPlanState, type ActionState, DEFAULTS } from '../../contracts/action-plan/definitions';
import { pendingAlarms } from '../../workflows/kernel/alarms';
import { verdict } from '../helpers/rules';

/** The action plan's rules alone: no server, no workflow, just state in and a verdict out. */

const actor = { id: 'chair-1', name: 'Chris Chair', role: 'cqrg_chair' };
const input = {
  reference: 'CAP-2026-000001',
  providerCode: 'RJ2',
  theme: 'accessible_information_standard' as const,
  source: { kind: 'cqrg_meeting' as const, meetingOn: '2026-11-10' },
  chairId: 'chair-1',
  openedOn: '2026-11-16',
  actions: [],
};
const deadline = (n: number, dueOn: string, from = '2026-11-16') =>
  planDeadline({ id: `action:${n}`, from, dueOn, agreedWith: 'action owner', remindWorkingDaysBefore: [...DEFAULTS.remindWorkingDaysBefore], repeatEveryWorkingDays: 5 });
const action = (n: number, over: Partial<ActionState> = {}): ActionState => ({
  n,
  ownerId: 'jo-bloggs',
  dueOn: '2027-01-29',
  addedOn: '2026-11-16',
  note: `note:abcdefgh-${n}`,
  status: 'open',
  rag: 'green',
  updates: 0,
  redated: 0,
  ...over,
});
const plan = (actions: ActionState[], over: Partial<ActionPlanState> = {}): ActionPlanState => ({
  ...initialState(input),
  actions,
  deadlines: Object.fromEntries(actions.filter((a) => a.status === 'open').map((a) => [`action:${a.n}`, deadline(a.n, a.dueOn)])),
  ...over,
});

describe('RAG: derived from the due date and completion, never typed in', () => {
  // Mon 23 Nov 2026: ten working days on is Mon 7 Dec.
  const today = '2026-11-23';
  const amber = amberUntil(today, []);

  test('amber runs to the tenth working day after today (bank holidays and closure days skipped)', () => {
    expect(amber).toBe('2026-12-07');
    // Over Christmas: 25, 28 Dec (substitute for Boxing Day) and 1 Jan are not working days.
    expect(amberUntil('2026-12-21', [])).toBe('2027-01-07');
    expect(amberUntil(today, ['2026-11-30'])).toBe('2026-12-08');
  });

  test('blue complete; red due before today; amber due today to the horizon; green later', () => {
    expect(ragOn({ dueOn: '2026-11-01', completedOn: '2026-11-20' }, today, amber)).toBe('blue');
    expect(ragOn({ dueOn: '2026-11-22' }, today, amber)).toBe('red');
    expect(ragOn({ dueOn: today }, today, amber)).toBe('amber');
    expect(ragOn({ dueOn: '2026-12-07' }, today, amber)).toBe('amber');
    expect(ragOn({ dueOn: '2026-12-08' }, today, amber)).toBe('green');
  });

  test("the amber reminder falls on the day the action turns amber by date; a new action's RAG follows its reminders", () => {
    const d = deadline(1, '2026-12-07');
    expect(d.reminders[0]).toBe('2026-11-23T09:00:00.000Z'); // ten working days before, 09:00 London
    expect(amberUntil('2026-11-23', [])).toBe(d.dueOn);
    expect(d.escalateAt).toBe('2026-12-08T09:00:00.000Z'); // the working morning after it is missed
    expect(ragOfPlanned(deadline(1, '2027-01-29'), '2026-11-16T10:00:00.000Z')).toBe('green');
    expect(ragOfPlanned(deadline(1, '2026-11-25'), '2026-11-16T10:00:00.000Z')).toBe('amber');
    expect(ragOfPlanned(planDeadline({ id: 'action:1', from: '2026-11-02', dueOn: '2026-11-10', remindWorkingDaysBefore: [10, 2], notBefore: '2026-11-16T10:00:00.000Z' }), '2026-11-16T10:00:00.000Z')).toBe('red');
  });
});

describe('the workflow rules', () => {
  test('one deadline per open action, each escalating to the chair; a completed action arms none', () => {
    const s = plan([action(1), action(2, { status: 'complete', completedOn: '2026-11-20', rag: 'blue' }), action(3, { dueOn: '2026-12-01' })]);
    expect(actionPlanRules.armed(s)).toEqual([
      { deadline: 'action:1', onDue: 'escalation' },
      { deadline: 'action:3', onDue: 'escalation' },
    ]);
    const alarms = pendingAlarms(s.deadlines, actionPlanRules.armed(s), []);
    expect(alarms[0]).toMatchObject({ deadline: 'action:3', action: 'reminder' });
    expect(alarms.filter((a) => a.action === 'escalation').map((a) => a.deadline)).toEqual(['action:3', 'action:1']);
    expect(actionPlanRules.armed({ ...s, status: 'closed' })).toEqual([]);
  });

  test("a reminder turns its action amber and the escalation red, that action's only", () => {
    const s = plan([action(1), action(2)]);
    actionPlanRules.alarms.reminder.apply!(s, { key: 'action:2:2027-01-29:reminder', deadline: 'action:2', action: 'reminder', at: '', dueOn: '2027-01-29' });
    expect(s.actions.map((a) => a.rag)).toEqual(['green', 'amber']);
    actionPlanRules.alarms.escalation.apply!(s, { key: 'action:1:2027-01-29:escalation', deadline: 'action:1', action: 'escalation', at: '', dueOn: '2027-01-29' });
    expect(s.actions.map((a) => a.rag)).toEqual(['red', 'amber']);
  });

  test('adding, re-dating and updating need an open plan and an open action, and dates that fit', () => {
    const rules = new ActionPlanCase(plan([action(1), action(2, { status: 'complete', completedOn: '2026-11-20', rag: 'blue' })]));
    const add = { actor, addedOn: '2026-11-20', ownerId: 'jo', dueOn: '2026-12-01', note: 'note:abcdefgh-0' };
    expect(verdict(() => rules.checkAdd(add))).toBeUndefined();
    expect(verdict(() => rules.checkAdd({ ...add, dueOn: '2026-11-19' }))).toMatch(/cannot be due \(2026-11-19\) before the day it is added/);
    expect(verdict(() => rules.checkAdd({ ...add, addedOn: '2026-11-01' }))).toMatch(/cannot be before the plan/);
    const redate = { actor, action: 1, redatedOn: '2026-11-20', dueOn: '2027-02-26', reason: 'Waiting for the new EPR release' };
    expect(verdict(() => rules.checkRedate(redate))).toBeUndefined();
    expect(verdict(() => rules.checkRedate({ ...redate, dueOn: '2027-01-29' }))).toMatch(/already due on 2027-01-29/);
    expect(verdict(() => rules.checkRedate({ ...redate, dueOn: '2026-11-19' }))).toMatch(/cannot be before the day it is re-dated/);
    expect(verdict(() => rules.checkRedate({ ...redate, action: 2 }))).toMatch(/needs an open action; action 2 was completed on 2026-11-20/);
    expect(verdict(() => rules.checkRedate({ ...redate, action: 9 }))).toMatch(/has no action 9/);
    expect(verdict(() => rules.checkUpdate({ action: 1, updatedOn: '2026-11-15', note: 'note:abcdefgh-1' }))).toMatch(/cannot be before the day the action was added/);
    const closed = new ActionPlanCase(plan([action(1)], { status: 'closed' }));
    expect(verdict(() => closed.checkAdd(add))).toMatch(/needs a plan not yet signed off \(it is closed\)/);
  });

  test('an action completes only with evidence', () => {
    const rules = new ActionPlanCase(plan([action(1)]));
    expect(verdict(() => rules.checkComplete({ action: 1, completedOn: '2026-11-20', evidence: [] }))).toMatch(/only with evidence/);
    expect(verdict(() => rules.checkComplete({ action: 1, completedOn: '2026-11-20', evidence: ['note:abcdefgh-0'] }))).toBeUndefined();
    const parsed = completeActionBody.safeParse({ action: 1, completedOn: '2026-11-20', evidence: [] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['evidence'], message: 'an action is completed only with evidence' });
  });

  test('sign-off: every action complete, by the chair, not before the last completion', () => {
    const done = (n: number, completedOn: string) => action(n, { status: 'complete', completedOn, rag: 'blue', evidence: ['note:abcdefgh-9'] });
    const open = new ActionPlanCase(plan([done(1, '2026-11-18'), action(2), action(3)]));
    expect(verdict(() => open.checkSignOff({ actor, signedOffOn: '2026-11-20' }))).toMatch(/still open: 2, 3/);
    const all = plan([done(1, '2026-11-18'), done(2, '2026-11-19')]);
    expect(statusOf(all)).toBe('awaiting_sign_off');
    const rules = new ActionPlanCase({ ...all, status: 'awaiting_sign_off' });
    expect(verdict(() => rules.checkSignOff({ actor, signedOffOn: '2026-11-20' }))).toBeUndefined();
    expect(verdict(() => rules.checkSignOff({ actor: { ...actor, id: 'quality-1' }, signedOffOn: '2026-11-20' }))).toMatch(/only the CQRG chair \(chair-1\)/);
    expect(verdict(() => rules.checkSignOff({ actor, signedOffOn: '2026-11-18' }))).toMatch(/cannot be before the last completion \(2026-11-19\)/);
    expect(verdict(() => new ActionPlanCase(plan([])).checkSignOff({ actor, signedOffOn: '2026-11-20' }))).toMatch(/no actions/);
  });

  describe("evidence is the chair's to accept or return (plans opened since the evidence-review patch)", () => {
    const submitted = (n: number, over: Partial<ActionState> = {}) => action(n, { status: 'evidence_submitted', evidenceOn: '2026-11-20', evidence: ['note:abcdefgh-8'], ...over });
    const reviewed = (actions: ActionState[]) => plan(actions, { evidenceReview: true });
    const owner = { id: 'jo-bloggs', name: 'Jo Bloggs', role: 'quality_team' };

    test('a new plan reviews evidence; one opened before does not', () => {
      expect(initialState(input, { evidenceReview: true }).evidenceReview).toBe(true);
      expect(initialState(input).evidenceReview).toBeUndefined();
    });

    test('evidence awaiting the chair arms no alarm, and the action is still outstanding: not complete, its RAG by its date', () => {
      const s = reviewed([submitted(1), action(2)]);
      expect(actionPlanRules.armed(s)).toEqual([{ deadline: 'action:2', onDue: 'escalation' }]);
      expect(statusOf(s)).toBe('in_progress');
      expect(statusOf(reviewed([submitted(1)]))).toBe('in_progress');
      const keys = actionPlanIndexKeys(s);
      expect(keys).toContain('action-plan|a|RJ2|open|2027-01-29|CAP-2026-000001:1');
      expect(ragOn({ dueOn: '2026-11-01' }, '2026-11-23', '2026-12-07')).toBe('red');
    });

    test('only the chair accepts or returns it, only evidence awaiting them, not before it was submitted; a return gives a reason', () => {
      const rules = new ActionPlanCase(reviewed([submitted(1), action(2), action(3, { status: 'complete', completedOn: '2026-11-19', rag: 'blue' })]));
      const accept = { actor, action: 1, acceptedOn: '2026-11-23' };
      expect(verdict(() => rules.checkAcceptEvidence(accept))).toBeUndefined();
      expect(verdict(() => rules.checkAcceptEvidence({ ...accept, actor: owner }))).toMatch(/only the CQRG chair \(chair-1\) accepts or returns evidence, not jo-bloggs/);
      expect(verdict(() => rules.checkAcceptEvidence({ ...accept, action: 2 }))).toMatch(/action 2 has no evidence awaiting the chair \(it is open\)/);
      expect(verdict(() => rules.checkAcceptEvidence({ ...accept, action: 3 }))).toMatch(/action 3 has no evidence awaiting the chair \(it is complete\)/);
      expect(verdict(() => rules.checkAcceptEvidence({ ...accept, acceptedOn: '2026-11-19' }))).toMatch(/cannot be before the evidence was submitted \(2026-11-20\)/);
      const giveBack = { actor, action: 1, returnedOn: '2026-11-23', reason: 'The audit covers one ward of six' };
      expect(verdict(() => rules.checkReturnEvidence(giveBack))).toBeUndefined();
      expect(verdict(() => rules.checkReturnEvidence({ ...giveBack, actor: owner }))).toMatch(/only the CQRG chair/);
      expect(verdict(() => rules.checkReturnEvidence({ ...giveBack, action: 9 }))).toMatch(/has no action 9/);
      // Waiting for the chair, it takes no more evidence, updates or new dates.
      expect(verdict(() => rules.checkComplete({ action: 1, completedOn: '2026-11-23', evidence: ['note:abcdefgh-0'] }))).toMatch(/its evidence awaits the chair \(submitted on 2026-11-20\)/);
    });

    test('sign-off waits for the chair to accept every action', () => {
      const rules = new ActionPlanCase(reviewed([submitted(1), action(2, { status: 'complete', completedOn: '2026-11-19', rag: 'blue' })]));
      expect(verdict(() => rules.checkSignOff({ actor, signedOffOn: '2026-11-23' }))).toMatch(/every action must be complete before sign-off; evidence awaiting the chair: 1/);
    });
  });

  test('the actions a change touched, for their records: all on opening, else the one its entry names', () => {
    const s = plan([action(1), action(2)]);
    expect(touchedActions({ seq: 1, type: 'opened', at: '', data: {} }, s)).toEqual([1, 2]);
    expect(touchedActions({ seq: 2, type: 'action_updated', at: '', data: { action: 2 } }, s)).toEqual([2]);
    expect(touchedActions({ seq: 3, type: 'action_overdue', at: '', data: { key: 'action:1:2027-01-29:escalation' } }, s)).toEqual([1]);
    expect(touchedActions({ seq: 4, type: 'signed_off', at: '', data: {} }, s)).toEqual([]);
  });
});

describe('lists: key layouts in the case index', () => {
  const today = '2026-11-23';
  const amber = '2026-12-07';

  test('an open action is listed by provider and by theme under its due date; a completed one under its completion date', () => {
    const keys = actionPlanIndexKeys(plan([action(1), action(2, { status: 'complete', completedOn: '2026-11-20', rag: 'blue' })]));
    expect(keys).toEqual([
      'action-plan|all|2027-01-29|CAP-2026-000001',
      'action-plan|p|RJ2|2027-01-29|CAP-2026-000001',
      'action-plan|st|in_progress|2027-01-29|CAP-2026-000001',
      'action-plan|pst|RJ2|in_progress|2027-01-29|CAP-2026-000001',
      'action-plan|st|open|2027-01-29|CAP-2026-000001',
      'action-plan|pst|RJ2|open|2027-01-29|CAP-2026-000001',
      'action-plan|a|RJ2|open|2027-01-29|CAP-2026-000001:1',
      'action-plan|at|RJ2|accessible_information_standard|open|2027-01-29|CAP-2026-000001:1',
      'action-plan|a|RJ2|done|2026-11-20|CAP-2026-000001:2',
      'action-plan|at|RJ2|accessible_information_standard|done|2026-11-20|CAP-2026-000001:2',
    ]);
  });

  test('red, amber and green are stretches of the open list by due date, worked out from today', () => {
    const [red] = actionRanges({ provider: 'RJ2', rag: 'red' }, today, amber);
    const [amb] = actionRanges({ provider: 'RJ2', rag: 'amber' }, today, amber);
    const [green] = actionRanges({ provider: 'RJ2', rag: 'green' }, today, amber);
    const key = (due: string) => `action-plan|a|RJ2|open|${due}|CAP-2026-000001:1`;
    const within = (r: { from: string; to: string }, k: string) => k >= r.from && k < r.to;
    expect(within(red, key('2026-11-22'))).toBe(true);
    expect(within(red, key(today))).toBe(false);
    expect(within(amb, key(today)) && within(amb, key(amber))).toBe(true);
    expect(within(green, key('2026-12-08'))).toBe(true);
    expect(within(green, key(amber))).toBe(false);
    expect(within(green, 'action-plan|a|RJ2|done|2026-11-20|CAP-2026-000001:2')).toBe(false);
    expect(actionRanges({ provider: 'RJ2' }, today, amber)).toHaveLength(2);
    expect(dashboardRanges('RJ2', today, amber)).toHaveLength(8 * 4);
    const pack = openDueBy('RJ2', '2026-12-08');
    expect(within(pack, key('2026-12-08')) && !within(pack, key('2026-12-09')) && within(pack, key('2026-01-01'))).toBe(true);
  });

  test('the chair\'s query: a RAG goes with outstanding only as it can', () => {
    expect(listActionsQuery.safeParse({ outstanding: 'true', rag: 'blue' }).success).toBe(false);
    expect(listActionsQuery.safeParse({ outstanding: 'true', rag: 'red' }).data).toMatchObject({ outstanding: true, rag: 'red', page: 1 });
  });

  test('a plan names its source: a meeting date, or a complaint or visit reference', () => {
    const base = { providerCode: 'RJ2', theme: 'wres', title: 'WRES indicator 2', chair: { id: 'chair-1', name: 'Chris' }, actions: [{ description: 'Audit', owner: { id: 'jo', name: 'Jo' }, dueOn: '2026-12-01' }] };
    expect(createActionPlanBody.safeParse({ ...base, source: { kind: 'complaint' } }).error?.issues[0]).toMatchObject({ path: ['source', 'reference'] });
    expect(createActionPlanBody.safeParse({ ...base, source: { kind: 'complaint', reference: 'VIS-2026-000001' } }).success).toBe(false);
    expect(createActionPlanBody.safeParse({ ...base, source: { kind: 'cqrg_meeting', meetingOn: '2026-11-10' } }).success).toBe(true);
    expect(createActionPlanBody.safeParse({ ...base, actions: [], source: { kind: 'cqrg_meeting', meetingOn: '2026-11-10' } }).success).toBe(false);
  });
});

describe('CQRG meetings and packs', () => {
  const secondTuesday = { weekday: 'tuesday' as const, nth: 2 };

  test('the nth or last weekday of each month; a meeting on a bank holiday moves to the next working day', () => {
    expect(meetingInMonth(2026, 12, secondTuesday)).toBe('2026-12-08');
    // The last Friday of December 2026 is Christmas Day; Monday 28 is Boxing Day's substitute.
    expect(meetingInMonth(2026, 12, { weekday: 'friday', nth: -1 })).toBe('2026-12-29');
    expect(meetingInMonth(2027, 5, { weekday: 'monday', nth: -1 })).toBe('2027-06-01'); // spring bank holiday Mon 31 May 2027
    expect(meetingInMonth(2027, 5, { weekday: 'monday', nth: 1 })).toBe('2027-05-04'); // early May bank holiday Mon 3 May 2027
  });

  test('the next meeting is strictly after today', () => {
    expect(nextMeeting('2026-11-23', secondTuesday)).toBe('2026-12-08');
    expect(nextMeeting('2026-12-08', secondTuesday)).toBe('2027-01-12');
    expect(nextMeeting('2026-12-07', secondTuesday)).toBe('2026-12-08');
  });

  test('the pack is due N working days before the meeting, bank holidays and closures skipped', () => {
    expect(packDay('2026-12-08', 5)).toBe('2026-12-01');
    // Tue 12 Jan 2027: five working days back skips 1 Jan (New Year's Day).
    expect(packDay('2027-01-12', 5)).toBe('2027-01-05');
    expect(packDay('2027-01-05', 5)).toBe('2026-12-24'); // 25, 28 Dec and 1 Jan skipped
    expect(packDay('2026-12-08', 5, ['2026-12-03'])).toBe('2026-11-30');
  });
});
