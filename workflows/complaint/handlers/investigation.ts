import type { ComplaintCase } from '../case';
import { COMPLAINT_UPDATES } from '../../../contracts/complaint/events';
import {
  DEFAULTS,
  } from '../../../contracts/complaint/definitions';
import type { Kernel, MovedLetter, NextUpdate } from './kernel';

/** Consent (reg 7(3)), the provider's account, and updates to the complainant (reg 14(1)(b)). */
export function investigation(kase: Kernel, rules: ComplaintCase, nextUpdate: NextUpdate) {
  kase.record(COMPLAINT_UPDATES.consent, (i) => rules.checkConsent(i), 'consent_recorded', (s, i) => {
    // Reg 7(3): after the provider was asked, a withdrawal stops anything further going to it.
    if (!i.consentToShare && s.providerAccountRequestedOn) s.consentWithdrawnOn = i.recordedOn;
    if (i.consentToShare) delete s.consentWithdrawnOn;
    s.consentToShare = i.consentToShare;
    s.consentRecordedOn = i.recordedOn;
  });

  kase.on(COMPLAINT_UPDATES['provider-request'], (i) => rules.checkRequestProviderAccount(i), async (i) => {
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

  kase.record(COMPLAINT_UPDATES['provider-response'], (i) => rules.checkProviderAccount(i), 'provider_account_received', (s, i) => {
    s.providerAccountReceivedOn = i.receivedOn;
  });

  kase.on(COMPLAINT_UPDATES['complainant-update'], (i) => rules.checkComplainantUpdate(i), async (i) => {
    const every = kase.state.updateEveryWorkingDays;
    const update = every ? await nextUpdate(i.sentOn, every) : undefined;
    return kase.change('complainant_updated', { ...i, nextUpdateDueOn: update?.dueOn ?? null }, (s) => {
      s.updates = [...(s.updates ?? []), { sentOn: i.sentOn }];
      if (update) s.deadlines.complainant_update = update;
    });
  });
}

/** An extension moves the response date (and may move the six-month letter: reg 14(2)). */
export function extension(kase: Kernel, rules: ComplaintCase, movedLetter: MovedLetter) {
  kase.on(COMPLAINT_UPDATES.extend, (i) => rules.checkExtend(i), async (i) => {
    const previousDueOn = kase.state.deadlines.response?.dueOn ?? i.agreedOn;
    const response = await kase.plan({ id: 'response', from: i.agreedOn, dueOn: i.newDueOn, remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays] });
    const extension = { previousDueOn, newDueOn: i.newDueOn, reason: i.reason, agreedOn: i.agreedOn };
    const letter = await movedLetter(i.agreedOn, i.newDueOn);
    return kase.change('response_extended', { ...extension, ...(letter && { sixMonthLetterDueOn: letter.dueOn }) }, (s) => {
      if (letter) s.deadlines.six_month_letter = letter;
      s.extensions.push(extension);
      s.deadlines.response = response;
    });
  });
}

/** A hold pauses the response clock (and the provider's, and updates); resuming recomputes them. */
export function holdAndResume(kase: Kernel, rules: ComplaintCase, nextUpdate: NextUpdate) {
  kase.record(COMPLAINT_UPDATES.hold, (i) => rules.checkHold(i), 'put_on_hold', (s, i) => {
    s.status = 'on_hold';
    s.hold = { heldOn: i.heldOn, reason: i.reason };
  });

  kase.on(COMPLAINT_UPDATES.resume, (i) => rules.checkResume(i), async (i) => {
    const { deadlines } = kase.state;
    const hold = kase.state.hold!;
    const resumed = (id: 'response' | 'provider_account', remind: number) => {
      const dueOn = deadlines[id]?.dueOn;
      return dueOn ? kase.plan({ id, from: i.resumedOn, resume: { pausedOn: hold.heldOn, dueOn }, remindWorkingDaysBefore: [remind] }) : undefined;
    };
    const response = await resumed('response', DEFAULTS.responseReminderWorkingDays);
    const waitingOnProvider = kase.state.providerAccountRequestedOn && !kase.state.providerAccountReceivedOn;
    const account = waitingOnProvider ? await resumed('provider_account', DEFAULTS.providerAccountReminderWorkingDays) : undefined;
    const every = kase.state.updateEveryWorkingDays;
    const update = every ? await nextUpdate(i.resumedOn, every) : undefined;
    const data = { ...i, heldOn: hold.heldOn, responseDueOn: response?.dueOn ?? null, providerAccountDueOn: account?.dueOn ?? null };
    return kase.change('resumed', data, (s) => {
      s.holds = [...(s.holds ?? []), { heldOn: hold.heldOn, resumedOn: i.resumedOn, reason: hold.reason }];
      delete s.hold;
      s.status = 'acknowledged';
      if (response) s.deadlines.response = response;
      if (account) s.deadlines.provider_account = account;
      if (update) s.deadlines.complainant_update = update;
    });
  });
}

/** Reg 9: another body leads; the response date is its, and the others' contributions are chased. */
export function leadBody(kase: Kernel, rules: ComplaintCase) {
  const reminder = [DEFAULTS.externalReminderWorkingDays];
  kase.on(COMPLAINT_UPDATES['lead-body'], (i) => rules.checkLeadBody(i), async (i) => {
    const response = await kase.plan({ id: 'response', from: i.agreedOn, dueOn: i.responseDueOn, remindWorkingDaysBefore: reminder });
    const contributions = i.contributions.map((c, k) => ({ n: k + 1, body: c.body, dueOn: c.dueOn }));
    const planned = await Promise.all(
      contributions.map((c) => kase.plan({ id: `contribution:${c.n}`, from: i.agreedOn, dueOn: c.dueOn, remindWorkingDaysBefore: reminder })),
    );
    return kase.change('lead_body_agreed', { ...i, contributions }, (s) => {
      s.lead = { body: i.leadBody, agreedOn: i.agreedOn, contributions };
      // The lead acknowledges and responds: the commissioner's own acknowledgement clock stops.
      if (s.status === 'received') s.status = 'acknowledged';
      delete s.deadlines.acknowledgement;
      s.deadlines.response = response;
      for (const d of planned) s.deadlines[d.id as `contribution:${number}`] = d;
    });
  });

  kase.record(COMPLAINT_UPDATES.contribution, (i) => rules.checkContribution(i), 'contribution_received', (s, i) => {
    const c = s.lead!.contributions.find((x) => x.n === i.contribution)!;
    c.receivedOn = i.receivedOn;
  });
}
