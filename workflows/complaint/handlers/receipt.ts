import type { ComplaintCase } from '../case';
import { COMPLAINT_UPDATES } from '../../../contracts/complaint/events';
import { DEFAULTS } from '../../../contracts/complaint/definitions';
import type { ComplaintVersion } from '../state';
import type { Kernel, MovedLetter, NextUpdate } from './kernel';

/** Decisions on receipt: who handles it (reg 7), an oral complaint resolved at once (reg 8), the time limit (reg 12). */
export function receiptDecisions(kase: Kernel, rules: ComplaintCase, version: ComplaintVersion) {
  kase.on(COMPLAINT_UPDATES.handling, (i) => rules.checkHandling(i), async (i) => {
    if (!version.trackedTransfer || i.handledBy === 'commissioner') {
      // Before the patch, passing it to the provider ended the case at once.
      return kase.change('handling_decided', { ...i }, (s) => {
        s.handledBy = i.handledBy;
        if (i.handledBy === 'provider') {
          s.status = 'transferred';
          s.transferredOn = i.decidedOn;
        }
      });
    }
    // Reg 6(5), 7(3)(b): sent on "as soon as reasonably practicable", a local number of working days.
    const due = await kase.plan({
      id: 'transfer',
      from: i.decidedOn,
      workingDays: DEFAULTS.transferWorkingDays,
      remindWorkingDaysBefore: [DEFAULTS.transferReminderWorkingDays],
    });
    const to = i.handledBy === 'provider' ? kase.state.providerCode : i.receivingBody!;
    return kase.change('handling_decided', { ...i, transferTo: to, transferDueOn: due.dueOn }, (s) => {
      s.handledBy = i.handledBy;
      s.transfer = { decidedOn: i.decidedOn, to, kind: i.handledBy === 'provider' ? 'provider' : 'another_body' };
      s.deadlines.transfer = due;
    });
  });

  // Reg 6(6), 7(5)(b): once sent, the complaint is deemed made to the receiving body. Another body's
  // case ends here; the provider's is followed until the provider reports its outcome.
  kase.on(COMPLAINT_UPDATES.transfer, (i) => rules.checkTransfer(i), async (i) => {
    const awaitOutcome = version.providerOutcome && kase.state.transfer!.kind === 'provider';
    const due = awaitOutcome
      ? await kase.plan({
          id: 'provider_outcome',
          from: i.transferredOn,
          workingDays: DEFAULTS.providerOutcomeWorkingDays,
          remindWorkingDaysBefore: [DEFAULTS.providerOutcomeReminderWorkingDays],
          repeatEveryWorkingDays: DEFAULTS.providerOutcomeRepeatWorkingDays,
        })
      : undefined;
    return kase.change('transferred', { ...i, ...(due && { outcomeDueOn: due.dueOn }) }, (s) => {
      s.transfer!.transferredOn = i.transferredOn;
      s.status = due ? 'with_provider' : 'transferred';
      s.transferredOn = i.transferredOn;
      if (due) s.deadlines.provider_outcome = due;
    });
  });

  // Reg 7(5): the provider's outcome recorded; only now is the complaint's case over here.
  kase.record(COMPLAINT_UPDATES['provider-outcome'], (i) => rules.checkProviderOutcome(i), 'provider_outcome_recorded', (s, i) => {
    s.transfer!.outcome = { receivedOn: i.receivedOn, outcome: i.outcome };
    s.status = 'transferred';
  });

  kase.record(COMPLAINT_UPDATES['written-record'], (i) => rules.checkWrittenRecord(i), 'written_record_made', (s, i) => {
    s.writtenRecord = { writtenOn: i.writtenOn, copyOfferedOn: i.copyOfferedOn, ...(i.copySentOn && { copySentOn: i.copySentOn }) };
  });

  // Reg 5(3)-(5): found not suitable, the complaint is not considered further; the case ends so.
  kase.record(COMPLAINT_UPDATES.representative, (i) => rules.checkRepresentative(i), 'representative_decided', (s, i) => {
    s.representative = { ...s.representative!, suitable: i.suitable, decidedOn: i.decidedOn, reasons: i.reasons, ...(i.notifiedOn && { notifiedOn: i.notifiedOn }) };
    if (!i.suitable) s.status = 'representative_not_suitable';
  });

  kase.record(COMPLAINT_UPDATES['informal-resolution'], (i) => rules.checkInformalResolution(i), 'resolved_informally', (s, i) => {
    s.status = 'resolved_informally';
    s.resolvedInformallyOn = i.resolvedOn;
  });

  kase.record(COMPLAINT_UPDATES['time-limit'], (i) => rules.checkTimeLimit(i), 'time_limit_decided', (s, i) => {
    s.timeLimit = { decision: i.investigate ? 'investigate' : 'not_investigate', decidedOn: i.decidedOn, reason: i.reason };
    if (!i.investigate) s.status = 'not_investigated';
  });
}

/** The acknowledgement: it plans the response and the complainant's updates (reg 13, 14(1)(b)). */
export function acknowledgement(kase: Kernel, rules: ComplaintCase, version: ComplaintVersion, nextUpdate: NextUpdate, movedLetter: MovedLetter) {
  kase.on(COMPLAINT_UPDATES.acknowledge, (i) => rules.checkAcknowledge(i), async (i) => {
    const response = await kase.plan({
      id: 'response',
      from: i.acknowledgedOn,
      ...(i.responseDueOn ? { dueOn: i.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
      remindWorkingDaysBefore: [DEFAULTS.responseReminderWorkingDays],
    });
    const responsePeriod = i.responsePeriod ?? (i.responseDueOn ? 'agreed' : 'set');
    const every = i.updateEveryWorkingDays ?? DEFAULTS.updateEveryWorkingDays;
    const update = version.keepInformed ? await nextUpdate(i.acknowledgedOn, every) : undefined;
    const letter = await movedLetter(i.acknowledgedOn, i.responseDueOn);
    // Reg 13: the acknowledgement offers to discuss the handling and the response period.
    const discussionOfferedOn = i.discussionOfferedOn ?? (version.writtenRecord ? i.acknowledgedOn : undefined);
    return kase.change('acknowledged', { ...i, responseDueOn: response.dueOn, responsePeriod, ...(discussionOfferedOn && { discussionOfferedOn }) }, (s) => {
      if (letter) s.deadlines.six_month_letter = letter;
      s.status = 'acknowledged';
      s.acknowledgedOn = i.acknowledgedOn;
      s.responsePeriod = responsePeriod;
      if (discussionOfferedOn) s.discussionOfferedOn = discussionOfferedOn;
      s.deadlines.response = response;
      if (update) {
        s.updateEveryWorkingDays = every;
        s.updates = [];
        s.deadlines.complainant_update = update;
      }
    });
  });
}
