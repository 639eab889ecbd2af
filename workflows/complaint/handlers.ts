import type { CaseKernel } from '../kernel/run-case';
import { ComplaintCase, letterMovesTo } from './case';
import {
  acknowledgeUpdate,
  closeUpdate,
  ComplaintState,
  DEFAULTS,
  extendResponseUpdate,
  recordComplainantUpdateUpdate,
  recordConsentUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  reopenUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
  withdrawUpdate,
} from './definitions';

/** The rules a run follows, by the workflow version its case started under (see workflow.ts). */
export interface ComplaintVersion {
  extensionAgreedInTime: boolean;
  keepInformed: boolean;
  /** The six-month letter follows a longer period agreed in time (reg 14(2)). */
  letterFollowsAgreement: boolean;
}

/**
 * The complaint's human events: each checked by its rule (case.ts), planning any deadline it
 * sets, then recorded as one change.
 */
export function complaintHandlers(kase: CaseKernel<ComplaintState>, version: ComplaintVersion): void {
  const rules = new ComplaintCase(kase.state, { extensionAgreedInTime: version.extensionAgreedInTime });
  const { keepInformed } = version;
  const nextUpdate = (from: string, every: number) =>
    kase.plan({ id: 'complainant_update', from, workingDays: every, onTheDay: true });
  const responseReminder = [DEFAULTS.responseReminderWorkingDays];
  /** The letter's new date, if an agreement to respond by `respondBy` moves it (see letterMovesTo). */
  const movedLetter = (agreedOn: string, respondBy: string | undefined) => {
    const to = version.letterFollowsAgreement && respondBy ? letterMovesTo(kase.state, agreedOn, respondBy) : undefined;
    return to ? kase.plan({ id: 'six_month_letter', from: agreedOn, dueOn: to, onTheDay: true, calendar: 'statutory' }) : undefined;
  };

  kase.on(acknowledgeUpdate, (i) => rules.checkAcknowledge(i), async (i) => {
    const response = await kase.plan({
      id: 'response',
      from: i.acknowledgedOn,
      ...(i.responseDueOn ? { dueOn: i.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
      remindWorkingDaysBefore: responseReminder,
    });
    const responsePeriod = i.responsePeriod ?? (i.responseDueOn ? 'agreed' : 'set');
    const every = i.updateEveryWorkingDays ?? DEFAULTS.updateEveryWorkingDays;
    const update = keepInformed ? await nextUpdate(i.acknowledgedOn, every) : undefined;
    const letter = await movedLetter(i.acknowledgedOn, i.responseDueOn);
    return kase.change('acknowledged', { ...i, responseDueOn: response.dueOn, responsePeriod }, (s) => {
      if (letter) s.deadlines.six_month_letter = letter;
      s.status = 'acknowledged';
      s.acknowledgedOn = i.acknowledgedOn;
      s.responsePeriod = responsePeriod;
      if (i.discussionOfferedOn) s.discussionOfferedOn = i.discussionOfferedOn;
      s.deadlines.response = response;
      if (update) {
        s.updateEveryWorkingDays = every;
        s.updates = [];
        s.deadlines.complainant_update = update;
      }
    });
  });

  kase.record(recordConsentUpdate, (i) => rules.checkConsent(i), 'consent_recorded', (s, i) => {
    s.consentToShare = i.consentToShare;
    s.consentRecordedOn = i.recordedOn;
  });

  kase.on(requestProviderAccountUpdate, (i) => rules.checkRequestProviderAccount(i), async (i) => {
    const due = await kase.plan({
      id: 'provider_account',
      from: i.requestedOn,
      workingDays: i.workingDays ?? DEFAULTS.providerAccountWorkingDays,
      remindWorkingDaysBefore: [DEFAULTS.providerAccountReminderWorkingDays],
    });
    return kase.change('provider_account_requested', { ...i, dueOn: due.dueOn }, (s) => {
      s.providerAccountRequestedOn = i.requestedOn;
      s.deadlines.provider_account = due;
    });
  });

  kase.record(recordProviderAccountUpdate, (i) => rules.checkProviderAccount(i), 'provider_account_received', (s, i) => {
    s.providerAccountReceivedOn = i.receivedOn;
  });

  kase.on(extendResponseUpdate, (i) => rules.checkExtend(i), async (i) => {
    const previousDueOn = kase.state.deadlines.response?.dueOn ?? i.agreedOn;
    const response = await kase.plan({ id: 'response', from: i.agreedOn, dueOn: i.newDueOn, remindWorkingDaysBefore: responseReminder });
    const extension = { previousDueOn, newDueOn: i.newDueOn, reason: i.reason, agreedOn: i.agreedOn };
    const letter = await movedLetter(i.agreedOn, i.newDueOn);
    return kase.change('response_extended', { ...extension, ...(letter && { sixMonthLetterDueOn: letter.dueOn }) }, (s) => {
      if (letter) s.deadlines.six_month_letter = letter;
      s.extensions.push(extension);
      s.deadlines.response = response;
    });
  });

  kase.on(recordComplainantUpdateUpdate, (i) => rules.checkComplainantUpdate(i), async (i) => {
    const every = kase.state.updateEveryWorkingDays;
    const update = every ? await nextUpdate(i.sentOn, every) : undefined;
    return kase.change('complainant_updated', { ...i, nextUpdateDueOn: update?.dueOn ?? null }, (s) => {
      s.updates = [...(s.updates ?? []), { sentOn: i.sentOn }];
      if (update) s.deadlines.complainant_update = update;
    });
  });

  // Back to awaiting a response, by a new date; closed again, it gets a new Ombudsman window.
  kase.on(reopenUpdate, (i) => rules.checkReopen(i), async (i) => {
    const response = await kase.plan({ id: 'response', from: i.reopenedOn, dueOn: i.responseDueOn, remindWorkingDaysBefore: responseReminder });
    const every = kase.state.updateEveryWorkingDays;
    const update = every ? await nextUpdate(i.reopenedOn, every) : undefined;
    return kase.change('reopened', { ...i, previousOutcome: kase.state.outcome ?? null }, (s) => {
      s.reopenings = [...(s.reopenings ?? []), { reopenedOn: i.reopenedOn, reason: i.reason, previousOutcome: s.outcome }];
      s.status = 'acknowledged';
      s.outcome = undefined;
      s.closedOn = undefined;
      s.deadlines.response = response;
      delete s.deadlines.ombudsman_window;
      if (update) s.deadlines.complainant_update = update;
    });
  });

  // Every clock stops: a withdrawn case arms no deadline and its workflow ends.
  kase.record(withdrawUpdate, (i) => rules.checkWithdraw(i), 'withdrawn', (s, i) => {
    s.status = 'withdrawn';
    s.withdrawnOn = i.withdrawnOn;
    s.withdrawalReason = i.reason;
  });

  kase.record(respondUpdate, (i) => rules.checkRespond(i), 'responded', (s, i) => {
    s.status = 'responded';
    s.respondedOn = i.respondedOn;
  });

  kase.on(closeUpdate, (i) => rules.checkClose(i), async (i) => {
    const window = await kase.plan({ id: 'ombudsman_window', from: i.closedOn, calendarMonths: DEFAULTS.ombudsmanWindowMonths });
    return kase.change('closed', { ...i, ombudsmanWindowEndsOn: window.dueOn }, (s) => {
      s.status = 'closed';
      s.closedOn = i.closedOn;
      s.outcome = i.outcome;
      s.lessonsLearned = i.lessonsLearned;
      s.deadlines.ombudsman_window = window;
    });
  });

  kase.record(referToOmbudsmanUpdate, (i) => rules.checkOmbudsmanReferral(i), 'referred_to_ombudsman', (s, i) => {
    s.status = 'referred_to_ombudsman';
    s.referredOn = i.referredOn;
  });
}
