import type { ComplaintCase } from '../case';
import { acknowledgeUpdate, decideHandlingUpdate, decideTimeLimitUpdate, DEFAULTS, resolveInformallyUpdate } from '../definitions';
import type { Kernel, MovedLetter, NextUpdate } from './kernel';

/** Decisions on receipt: who handles it (reg 7), an oral complaint resolved at once (reg 8), the time limit (reg 12). */
export function receiptDecisions(kase: Kernel, rules: ComplaintCase) {
  kase.record(decideHandlingUpdate, (i) => rules.checkHandling(i), 'handling_decided', (s, i) => {
    s.handledBy = i.handledBy;
    if (i.handledBy === 'provider') {
      s.status = 'transferred';
      s.transferredOn = i.decidedOn;
    }
  });

  kase.record(resolveInformallyUpdate, (i) => rules.checkInformalResolution(i), 'resolved_informally', (s, i) => {
    s.status = 'resolved_informally';
    s.resolvedInformallyOn = i.resolvedOn;
  });

  kase.record(decideTimeLimitUpdate, (i) => rules.checkTimeLimit(i), 'time_limit_decided', (s, i) => {
    s.timeLimit = { decision: i.investigate ? 'investigate' : 'not_investigate', decidedOn: i.decidedOn, reason: i.reason };
    if (!i.investigate) s.status = 'not_investigated';
  });
}

/** The acknowledgement: it plans the response and the complainant's updates (reg 13, 14(1)(b)). */
export function acknowledgement(kase: Kernel, rules: ComplaintCase, keepInformed: boolean, nextUpdate: NextUpdate, movedLetter: MovedLetter) {
  kase.on(acknowledgeUpdate, (i) => rules.checkAcknowledge(i), async (i) => {
    const response = await kase.plan({
      id: 'response',
      from: i.acknowledgedOn,
      ...(i.responseDueOn ? { dueOn: i.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
      remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays],
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
}
