import { ApplicationFailure } from '@temporalio/common';
import { complaintRules, ComplaintCase, initialState, letterMovesTo, unmetDeadlines, upgradeLegacyState } from '../../workflows/complaint/case';
import type { ComplaintState, ComplaintWorkflowInput } from '../../workflows/complaint/definitions';
import { pendingAlarms } from '../../workflows/kernel/alarms';
import { CASE_STATE_CONFLICT, type Deadline } from '../../workflows/kernel/contract';

/** The complaint's rules alone: no server, no workflow, just state in and a verdict out. */

const deadline = (id: string, dueOn: string, extra: Partial<Deadline> = {}): Deadline => ({
  id,
  dueOn,
  reminders: [],
  escalateAt: `${dueOn}T09:00:00.000Z`,
  basis: { rule: 'test', start: '2026-03-02', weekendDaysSkipped: 0, skipped: [] },
  ...extra,
});

const input: ComplaintWorkflowInput = {
  reference: 'CMP-2026-000001',
  providerCode: 'RJ2',
  receivedOn: '2026-03-02',
  consentToShare: false,
  acknowledgement: deadline('acknowledgement', '2026-03-05'),
};

const acknowledged = (over: Partial<ComplaintState> = {}): ComplaintState => ({
  ...initialState(input),
  status: 'acknowledged',
  acknowledgedOn: '2026-03-03',
  deadlines: {
    acknowledgement: input.acknowledgement,
    response: deadline('response', '2026-04-08', { reminders: ['2026-04-01T08:00:00.000Z'] }),
    six_month_letter: deadline('six_month_letter', '2026-09-02'),
  },
  ...over,
});

/** The reason a rule refuses, or undefined if it accepts. */
function verdict(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(CASE_STATE_CONFLICT);
    return (err as ApplicationFailure).message;
  }
}

describe('validators say why an event does not fit', () => {
  test('acknowledgement: once, not before receipt, and an agreed date after it', () => {
    const received = new ComplaintCase(initialState(input));
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-01' }))).toMatch(/cannot be before receipt/);
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-03', responseDueOn: '2026-03-03' }))).toMatch(/after the acknowledgement/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toMatch(/already acknowledged/);
  });

  test('nothing goes to the provider without consent, and consent cannot be withdrawn once it has', () => {
    const noConsent = new ComplaintCase(acknowledged());
    expect(verdict(() => noConsent.checkRequestProviderAccount({ requestedOn: '2026-03-04' }))).toMatch(/consent/);
    const asked = new ComplaintCase(acknowledged({ consentToShare: true, providerAccountRequestedOn: '2026-03-04' }));
    expect(verdict(() => asked.checkConsent({ consentToShare: false, recordedOn: '2026-03-05' }))).toMatch(/can no longer be withdrawn/);
    expect(verdict(() => asked.checkRequestProviderAccount({ requestedOn: '2026-03-05' }))).toMatch(/already been requested/);
  });

  test('an extension needs agreement, a later date, and an agreement no earlier than the acknowledgement', () => {
    const kase = new ComplaintCase(acknowledged());
    const extend = { newDueOn: '2026-05-01', reason: 'clinical review', complainantAgreed: true as const, agreedOn: '2026-03-10' };
    expect(verdict(() => kase.checkExtend(extend))).toBeUndefined();
    expect(verdict(() => kase.checkExtend({ ...extend, newDueOn: '2026-04-08' }))).toMatch(/after the current response date 2026-04-08/);
    expect(verdict(() => kase.checkExtend({ ...extend, agreedOn: '2026-03-02' }))).toMatch(/cannot be before acknowledgement/);
  });

  test('an extension agreed after the date it extends is refused, unless the case started before that rule', () => {
    const late = { newDueOn: '2026-05-01', reason: 'clinical review', complainantAgreed: true as const, agreedOn: '2026-04-09' };
    expect(verdict(() => new ComplaintCase(acknowledged()).checkExtend(late))).toMatch(/agreed on or before the response date it extends \(2026-04-08\)/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkExtend({ ...late, agreedOn: '2026-04-08' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(acknowledged(), { extensionAgreedInTime: false }).checkExtend(late))).toBeUndefined();
  });

  test('closure follows a response; a referral falls inside the window', () => {
    expect(verdict(() => new ComplaintCase(acknowledged()).checkClose({ closedOn: '2026-04-01', outcome: 'upheld', lessonsLearned: 'x' }))).toMatch(/only a responded case/);
    const closed = new ComplaintCase(acknowledged({ status: 'closed', closedOn: '2026-04-01', deadlines: { ombudsman_window: deadline('ombudsman_window', '2027-04-01') } }));
    expect(verdict(() => closed.checkOmbudsmanReferral({ referredOn: '2027-03-31' }))).toBeUndefined();
    expect(verdict(() => closed.checkOmbudsmanReferral({ referredOn: '2027-04-02' }))).toMatch(/window closed on 2027-04-01/);
  });
});

test('an update to the complainant needs an acknowledged case, and none goes back before the last', () => {
  expect(verdict(() => new ComplaintCase(initialState(input)).checkComplainantUpdate({ sentOn: '2026-03-03' }))).toMatch(/awaits its response/);
  const kase = new ComplaintCase(acknowledged({ updates: [{ sentOn: '2026-03-20' }] }));
  expect(verdict(() => kase.checkComplainantUpdate({ sentOn: '2026-03-19' }))).toMatch(/cannot be before the last update \(2026-03-20\)/);
  expect(verdict(() => kase.checkComplainantUpdate({ sentOn: '2026-03-20' }))).toBeUndefined();
});

test('reg 14(2): only a longer period agreed before the current one ran out moves the six-month letter', () => {
  const state = acknowledged(); // the letter is due 2026-09-02
  expect(letterMovesTo(state, '2026-08-01', '2026-11-01')).toBe('2026-11-01');
  expect(letterMovesTo(state, '2026-09-03', '2026-11-01')).toBeUndefined(); // agreed too late
  expect(letterMovesTo(state, '2026-08-01', '2026-09-01')).toBeUndefined(); // not longer
});

test('only a closed case can be reopened, not before its closure, and by a later date', () => {
  const closed = new ComplaintCase(acknowledged({ status: 'closed', closedOn: '2026-04-01' }));
  expect(verdict(() => closed.checkReopen({ reopenedOn: '2026-04-02', reason: 'x', responseDueOn: '2026-05-01' }))).toBeUndefined();
  expect(verdict(() => closed.checkReopen({ reopenedOn: '2026-03-31', reason: 'x', responseDueOn: '2026-05-01' }))).toMatch(/cannot be before closure/);
  expect(verdict(() => closed.checkReopen({ reopenedOn: '2026-04-02', reason: 'x', responseDueOn: '2026-04-02' }))).toMatch(/after the reopening/);
  expect(verdict(() => new ComplaintCase(acknowledged()).checkReopen({ reopenedOn: '2026-04-02', reason: 'x', responseDueOn: '2026-05-01' }))).toMatch(/only a closed case/);
});

test('only an open case can be withdrawn, and a withdrawn one arms nothing and is finished', () => {
  expect(verdict(() => new ComplaintCase(acknowledged()).checkWithdraw({ withdrawnOn: '2026-03-04', reason: 'x' }))).toBeUndefined();
  expect(verdict(() => new ComplaintCase(acknowledged()).checkWithdraw({ withdrawnOn: '2026-03-02', reason: 'x' }))).toMatch(/cannot be before acknowledgement/);
  expect(verdict(() => new ComplaintCase(acknowledged({ status: 'closed' })).checkWithdraw({ withdrawnOn: '2026-05-01', reason: 'x' }))).toMatch(/only an open case/);
  const withdrawn = acknowledged({ status: 'withdrawn' });
  expect(complaintRules.armed(withdrawn)).toEqual([]);
  expect(complaintRules.finished(withdrawn)).toBe(true);
});

describe('which deadlines each state arms', () => {
  test('received: the acknowledgement escalates and the six-month letter waits', () => {
    const state = { ...initialState(input), deadlines: { ...initialState(input).deadlines, six_month_letter: deadline('six_month_letter', '2026-09-02') } };
    expect(unmetDeadlines(state)).toEqual(['acknowledgement']);
    expect(pendingAlarms(state.deadlines, complaintRules.armed(state), []).map((a) => a.key)).toEqual([
      'acknowledgement:2026-03-05:escalation',
      'six_month_letter:2026-09-02:task',
    ]);
  });

  test('acknowledged: the response reminds then escalates; a fired alarm is not pending again', () => {
    const state = acknowledged();
    const armed = complaintRules.armed(state);
    expect(pendingAlarms(state.deadlines, armed, []).map((a) => a.key)).toEqual([
      'response:2026-04-08:reminder',
      'response:2026-04-08:escalation',
      'six_month_letter:2026-09-02:task',
    ]);
    expect(pendingAlarms(state.deadlines, armed, ['response:2026-04-08:reminder']).map((a) => a.action)).toEqual(['escalation', 'task']);
  });

  test('responded: no clock runs; closed: only the Ombudsman window, which ends the case', () => {
    expect(complaintRules.armed(acknowledged({ status: 'responded' }))).toEqual([]);
    const closed = acknowledged({ status: 'closed' });
    expect(complaintRules.armed(closed)).toEqual([{ deadline: 'ombudsman_window', onDue: 'window_end' }]);
    const ended = acknowledged({ status: 'closed' });
    complaintRules.alarms.window_end.apply?.(ended);
    expect(complaintRules.finished(ended)).toBe(true);
    expect(complaintRules.finished(acknowledged({ status: 'responded' }))).toBe(false);
  });
});

test('a run continued before the kernel kept its bookkeeping apart is read as today’s snapshot', () => {
  const legacyDeadline = { kind: 'response', dueOn: '2026-04-08', remindAt: '2026-04-01T08:00:00.000Z', escalateAt: '2026-04-09T08:00:00.000Z', basis: deadline('x', '2026-04-08').basis };
  const { deadlines: _d, ...rest } = acknowledged();
  const legacy = { ...rest, deadlines: { response: legacyDeadline }, fired: ['acknowledgement:2026-03-05:escalation'], seq: 4, version: 4 };
  // Old continued runs carried this shape in `state`; the type says today's, so it is built as JSON would arrive.
  const snapshot = upgradeLegacyState(JSON.parse(JSON.stringify({ ...input, state: legacy })));
  expect(snapshot?.meta).toEqual({ fired: ['acknowledgement:2026-03-05:escalation'], seq: 4, version: 4 });
  expect(snapshot?.case.deadlines.response).toEqual({ id: 'response', dueOn: '2026-04-08', reminders: ['2026-04-01T08:00:00.000Z'], escalateAt: '2026-04-09T08:00:00.000Z', basis: legacyDeadline.basis });
  expect(snapshot?.case).not.toHaveProperty('fired');
});
