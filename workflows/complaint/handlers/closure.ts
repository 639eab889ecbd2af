import type { ComplaintCase } from '../case';
import { COMPLAINT_UPDATES } from '../../../contracts/complaint/events';
import { DEFAULTS } from '../../../contracts/complaint/definitions';
import type { Kernel, NextUpdate } from './kernel';

/** The response, closure with an outcome, reopening, and withdrawal. */
export function closure(kase: Kernel, rules: ComplaintCase, nextUpdate: NextUpdate) {
  kase.record(COMPLAINT_UPDATES.respond, (i) => rules.checkRespond(i), 'responded', (s, i) => {
    s.status = 'responded';
    s.respondedOn = i.respondedOn;
    // Reg 14(2): who signed it, and that it named the right to go to the Ombudsman.
    if (i.signedBy) s.responseSignedBy = i.signedBy;
    if (i.ombudsmanRightsGiven) s.ombudsmanRightsGiven = true;
  });

  kase.on(COMPLAINT_UPDATES.close, (i) => rules.checkClose(i), async (i) => {
    const window = await kase.plan({ id: 'ombudsman_window', from: i.closedOn, calendarMonths: DEFAULTS.ombudsmanWindowMonths });
    return kase.change('closed', { ...i, ombudsmanWindowEndsOn: window.dueOn }, (s) => {
      s.status = 'closed';
      s.closedOn = i.closedOn;
      s.outcome = i.outcome;
      s.lessonsLearned = i.lessonsLearned;
      if (i.followOn?.length) s.followOn = i.followOn;
      s.deadlines.ombudsman_window = window;
    });
  });

  // Back to awaiting a response, by a new date; closed again, it gets a new Ombudsman window.
  kase.on(COMPLAINT_UPDATES.reopen, (i) => rules.checkReopen(i), async (i) => {
    const response = await kase.plan({ id: 'response', from: i.reopenedOn, dueOn: i.responseDueOn, remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays] });
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
  kase.record(COMPLAINT_UPDATES.withdraw, (i) => rules.checkWithdraw(i), 'withdrawn', (s, i) => {
    s.status = 'withdrawn';
    s.withdrawnOn = i.withdrawnOn;
    s.withdrawalReason = i.reason;
  });
}
