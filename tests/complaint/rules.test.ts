import { complaintRules, ComplaintCase, CURRENT_VERSION, initialState, letterMovesTo, unmetDeadlines, upgradeLegacyState } from '../../workflows/complaint/case';
import type { ComplaintState, ComplaintWorkflowInput } from '../../contracts/complaint/definitions';
import { pendingAlarms } from '../../workflows/kernel/alarms';
import { madeOutOfTime, receiptChecks } from '../../records/complaint/start';
import { deadline, verdict } from '../helpers/rules';

/** The complaint's rules alone: no server, no workflow, just state in and a verdict out. */

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

describe('validators say why an event does not fit', () => {
  test('acknowledgement: once, not before receipt, and an agreed date after it', () => {
    const received = new ComplaintCase(initialState(input));
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-01' }))).toMatch(/cannot be before receipt/);
    expect(verdict(() => received.checkAcknowledge({ acknowledgedOn: '2026-03-03', responseDueOn: '2026-03-03' }))).toMatch(/after the acknowledgement/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toMatch(/already acknowledged/);
  });

  test('nothing goes to the provider without consent; consent is withdrawn at any time (reg 7(3)), before the rule only until the provider was asked', () => {
    const noConsent = new ComplaintCase(acknowledged());
    expect(verdict(() => noConsent.checkRequestProviderAccount({ requestedOn: '2026-03-04' }))).toMatch(/consent/);
    const askedState = acknowledged({ consentToShare: true, providerAccountRequestedOn: '2026-03-04' });
    const asked = new ComplaintCase(askedState);
    expect(verdict(() => asked.checkConsent({ consentToShare: false, recordedOn: '2026-03-05' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(askedState, { ...CURRENT_VERSION, consentAnyTime: false }).checkConsent({ consentToShare: false, recordedOn: '2026-03-05' }))).toMatch(
      /can no longer be withdrawn/,
    );
    expect(verdict(() => asked.checkRequestProviderAccount({ requestedOn: '2026-03-05' }))).toMatch(/already been requested/);
    // Withdrawn after the provider was asked: its account is no longer chased.
    expect(unmetDeadlines(askedState)).toContain('provider_account');
    expect(unmetDeadlines({ ...askedState, consentToShare: false, consentWithdrawnOn: '2026-03-05' })).not.toContain('provider_account');
    const responded = new ComplaintCase(acknowledged({ status: 'responded' }));
    expect(verdict(() => responded.checkConsent({ consentToShare: false, recordedOn: '2026-03-05' }))).toBeUndefined();
    expect(verdict(() => responded.checkConsent({ consentToShare: true, recordedOn: '2026-03-05' }))).toMatch(/cannot be given once the case is responded/);
  });

  test('reg 7(4)/(5): passed to the provider only with consent, and decided once', () => {
    expect(verdict(() => new ComplaintCase(acknowledged()).checkHandling({ decidedOn: '2026-03-04', handledBy: 'provider' }))).toMatch(/not consented/);
    const consented = new ComplaintCase(acknowledged({ consentToShare: true }));
    expect(verdict(() => consented.checkHandling({ decidedOn: '2026-03-04', handledBy: 'provider' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(acknowledged({ consentToShare: true, consentWithdrawnOn: '2026-03-04' })).checkHandling({ decidedOn: '2026-03-05', handledBy: 'provider' }))).toMatch(
      /not consented/,
    );
    expect(verdict(() => new ComplaintCase(acknowledged({ handledBy: 'commissioner' })).checkHandling({ decidedOn: '2026-03-05', handledBy: 'commissioner' }))).toMatch(/already decided/);
    expect(verdict(() => new ComplaintCase(acknowledged({ status: 'responded' })).checkHandling({ decidedOn: '2026-03-05', handledBy: 'commissioner' }))).toMatch(/before the response/);
  });

  test('reg 8: only an oral complaint, resolved by the next working day after receipt, falls outside the regulations', () => {
    const oral = initialState({ ...input, receipt: { method: 'oral', informalResolutionBy: '2026-03-03', outOfTime: false, safeguarding: false } });
    expect(oral).toMatchObject({ method: 'oral', informalResolutionBy: '2026-03-03' });
    expect(verdict(() => new ComplaintCase(oral).checkInformalResolution({ resolvedOn: '2026-03-03' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(oral).checkInformalResolution({ resolvedOn: '2026-03-04' }))).toMatch(/after the next working day after receipt \(2026-03-03\)/);
    expect(verdict(() => new ComplaintCase(oral).checkInformalResolution({ resolvedOn: '2026-03-01' }))).toMatch(/cannot be before receipt/);
    const written = initialState({ ...input, receipt: { method: 'written', outOfTime: false, safeguarding: false } });
    expect(verdict(() => new ComplaintCase(written).checkInformalResolution({ resolvedOn: '2026-03-02' }))).toMatch(/only an oral complaint/);
    expect(verdict(() => new ComplaintCase({ ...oral, status: 'acknowledged' }).checkInformalResolution({ resolvedOn: '2026-03-03' }))).toMatch(/before acknowledgement/);
    expect(complaintRules.finished({ ...oral, status: 'resolved_informally' })).toBe(true);
  });

  test('reg 12: out of time, the decision to investigate or not comes before acknowledgement', () => {
    const late = initialState({ ...input, receipt: { method: 'written', outOfTime: true, safeguarding: false } });
    expect(late.timeLimit).toEqual({});
    expect(verdict(() => new ComplaintCase(late).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toMatch(/record first whether it will be investigated \(reg 12\(4\)\)/);
    expect(verdict(() => new ComplaintCase(late).checkTimeLimit({ decidedOn: '2026-03-03', investigate: true, reason: 'good reason' }))).toBeUndefined();
    const decided = { ...late, timeLimit: { decision: 'investigate' as const, decidedOn: '2026-03-03', reason: 'good reason' } };
    expect(verdict(() => new ComplaintCase(decided).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(decided).checkTimeLimit({ decidedOn: '2026-03-04', investigate: false, reason: 'x' }))).toMatch(/already decided on 2026-03-03/);
    expect(verdict(() => new ComplaintCase(initialState(input)).checkTimeLimit({ decidedOn: '2026-03-03', investigate: true, reason: 'x' }))).toMatch(/within the time limit/);
  });

  test('a hold comes after acknowledgement; only a held case resumes, not before its hold', () => {
    expect(verdict(() => new ComplaintCase(initialState(input)).checkHold({ heldOn: '2026-03-03', reason: 'police' }))).toMatch(/only an acknowledged/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkHold({ heldOn: '2026-03-02', reason: 'police' }))).toMatch(/cannot be before acknowledgement/);
    const held = acknowledged({ status: 'on_hold', hold: { heldOn: '2026-03-10', reason: 'coroner' } });
    expect(verdict(() => new ComplaintCase(held).checkResume({ resumedOn: '2026-03-09' }))).toMatch(/cannot be before the hold/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkResume({ resumedOn: '2026-03-11' }))).toMatch(/not on hold/);
    // Held: the response clock stops; the six-month letter still falls due.
    expect(complaintRules.armed(held).map((a) => a.deadline)).toEqual(['six_month_letter']);
    expect(verdict(() => new ComplaintCase(held).checkRespond({ respondedOn: '2026-03-11', signedBy: 'chief.executive', ombudsmanRightsGiven: true }))).toMatch(/needs an acknowledged/);
  });

  test('reg 9: a lead body’s dates replace the case’s own; each contribution is chased until received', () => {
    const kase = new ComplaintCase(initialState(input));
    const lead = { agreedOn: '2026-03-03', leadBody: 'Anytown ICB', responseDueOn: '2026-04-20', contributions: [{ body: 'Anytown Council', dueOn: '2026-03-20' }] };
    expect(verdict(() => kase.checkLeadBody(lead))).toBeUndefined();
    expect(verdict(() => kase.checkLeadBody({ ...lead, responseDueOn: '2026-03-03' }))).toMatch(/after the agreement/);
    expect(verdict(() => kase.checkLeadBody({ ...lead, contributions: [{ body: 'Anytown Council', dueOn: '2026-03-01' }] }))).toMatch(/Anytown Council’s contribution must be due after/);
    const led = acknowledged({
      lead: { body: 'Anytown ICB', agreedOn: '2026-03-03', contributions: [{ n: 1, body: 'Anytown Council', dueOn: '2026-03-20' }] },
      deadlines: { 'contribution:1': deadline('contribution:1', '2026-03-20') },
    });
    expect(unmetDeadlines(led)).toEqual(['response', 'contribution:1']);
    expect(unmetDeadlines({ ...led, status: 'received' })).not.toContain('acknowledgement');
    expect(verdict(() => new ComplaintCase(led).checkLeadBody(lead))).toMatch(/Anytown ICB already leads/);
    expect(verdict(() => new ComplaintCase(led).checkContribution({ contribution: 2, receivedOn: '2026-03-10' }))).toMatch(/no contribution 2/);
    expect(verdict(() => new ComplaintCase(led).checkContribution({ contribution: 1, receivedOn: '2026-03-02' }))).toMatch(/cannot be before the agreement/);
  });

  test('the Ombudsman: contact any time after closure, then reports in order and recommendations met one by one', () => {
    const closedState = acknowledged({ status: 'closed', closedOn: '2026-04-01', deadlines: { ombudsman_window: deadline('ombudsman_window', '2027-04-01') } });
    // s.9(4): after the window too, and on a case whose window has ended.
    expect(verdict(() => new ComplaintCase(closedState).checkOmbudsmanReferral({ referredOn: '2027-06-01' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase({ ...closedState, status: 'completed' }).checkOmbudsmanReferral({ referredOn: '2027-06-01' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(closedState).checkOmbudsmanReferral({ referredOn: '2026-03-31' }))).toMatch(/cannot be before closure/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkOmbudsmanReferral({ referredOn: '2026-03-31' }))).toMatch(/against a closed case/);
    const stage = { contactedOn: '2027-06-01', afterWindow: true, recommendations: [] };
    const withOmbudsman = { ...closedState, status: 'with_ombudsman' as const, ombudsman: stage };
    expect(verdict(() => new ComplaintCase(withOmbudsman).checkOmbudsmanReferral({ referredOn: '2027-06-02' }))).toMatch(/already in contact on 2027-06-01/);
    expect(verdict(() => new ComplaintCase(withOmbudsman).checkOmbudsmanComments({ sentOn: '2027-06-02' }))).toMatch(/no draft report/);
    expect(verdict(() => new ComplaintCase(withOmbudsman).checkOmbudsmanDraft({ receivedOn: '2027-07-01', commentsDueOn: '2027-07-01' }))).toMatch(/due after the draft/);
    expect(verdict(() => new ComplaintCase(withOmbudsman).checkOmbudsmanFinal({ receivedOn: '2027-08-01', finding: 'upheld', recommendations: [{ summary: 'apologise', dueOn: '2027-07-01' }] }))).toMatch(
      /recommendation 1 must be due after the final report/,
    );
    const final = { ...withOmbudsman, ombudsman: { ...stage, finalReportOn: '2027-08-01', recommendations: [{ n: 1, summary: 'apologise', dueOn: '2027-09-01' }] } };
    expect(unmetDeadlines(final)).toEqual(['recommendation:1']);
    expect(verdict(() => new ComplaintCase(final).checkOmbudsmanCompliance({ recommendation: 2, metOn: '2027-08-10', evidence: 'letter' }))).toMatch(/no recommendation 2/);
    expect(verdict(() => new ComplaintCase(final).checkOmbudsmanCompliance({ recommendation: 1, metOn: '2027-07-10', evidence: 'letter' }))).toMatch(/cannot be before the final report/);
    expect(verdict(() => new ComplaintCase(final).checkOmbudsmanCompliance({ recommendation: 1, metOn: '2027-08-10', evidence: 'letter' }))).toBeUndefined();
    expect(complaintRules.finished(withOmbudsman)).toBe(false);
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
    expect(verdict(() => new ComplaintCase(acknowledged(), { ...CURRENT_VERSION, extensionAgreedInTime: false }).checkExtend(late))).toBeUndefined();
  });

  test('closure follows a response; before the Ombudsman stage, a referral falls inside the window', () => {
    expect(verdict(() => new ComplaintCase(acknowledged()).checkClose({ closedOn: '2026-04-01', outcome: 'upheld', lessonsLearned: 'x' }))).toMatch(/only a responded case/);
    const closedState = acknowledged({ status: 'closed', closedOn: '2026-04-01', deadlines: { ombudsman_window: deadline('ombudsman_window', '2027-04-01') } });
    const closed = new ComplaintCase(closedState, { ...CURRENT_VERSION, ombudsmanStage: false });
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

test('reg 12: out of time 12 months after the matter, or after the complainant became aware of it if later', () => {
  expect(madeOutOfTime('2026-03-02')).toBe(false);
  expect(madeOutOfTime('2026-03-02', '2025-03-02')).toBe(false);
  expect(madeOutOfTime('2026-03-03', '2025-03-02')).toBe(true);
  expect(madeOutOfTime('2026-03-03', '2024-01-01', '2025-03-02')).toBe(true);
  expect(madeOutOfTime('2026-03-03', '2024-01-01', '2025-06-01')).toBe(false);
  expect(madeOutOfTime('2026-02-28', '2025-02-28')).toBe(false);
  expect(receiptChecks({ receivedOn: '2026-04-02', method: 'oral' })).toEqual({ method: 'oral', informalResolutionBy: '2026-04-07', outOfTime: false, safeguarding: false });
  expect(receiptChecks({ receivedOn: '2026-04-02', safeguardingConcern: true })).toEqual({ method: 'written', outOfTime: false, safeguarding: true });
});
