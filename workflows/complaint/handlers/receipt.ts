import type { ComplaintCase } from '../case';
import {
  acknowledgeUpdate,
  decideHandlingUpdate,
  decideRepresentativeUpdate,
  decideTimeLimitUpdate,
  DEFAULTS,
  recordWrittenRecordUpdate,
  resolveInformallyUpdate,
  transferUpdate,
} from '../../../contracts/complaint/definitions';
import type { ComplaintVersion } from '../state';
import type { Kernel, MovedLetter, NextUpdate } from './kernel';

/** Decisions on receipt: who handles it (reg 7), an oral complaint resolved at once (reg 8), the time limit (reg 12). */
export function receiptDecisions(kase: Kernel, rules: ComplaintCase, version: ComplaintVersion) {
  kase.on(decideHandlingUpdate, (i) => rules.checkHandling(i), async (i) => {
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

  // Reg 6(6), 7(5)(b): once sent, the complaint is deemed made to the receiving body; this case ends.
  kase.record(transferUpdate, (i) => rules.checkTransfer(i), 'transferred', (s, i) => {
    s.transfer!.transferredOn = i.transferredOn;
    s.status = 'transferred';
    s.transferredOn = i.transferredOn;
  });

  kase.record(recordWrittenRecordUpdate, (i) => rules.checkWrittenRecord(i), 'written_record_made', (s, i) => {
    s.writtenRecord = { writtenOn: i.writtenOn, copyOfferedOn: i.copyOfferedOn, ...(i.copySentOn && { copySentOn: i.copySentOn }) };
  });

  // Reg 5(3)-(5): found not suitable, the complaint is not considered further; the case ends so.
  kase.record(decideRepresentativeUpdate, (i) => rules.checkRepresentative(i), 'representative_decided', (s, i) => {
    s.representative = { ...s.representative!, suitable: i.suitable, decidedOn: i.decidedOn, reasons: i.reasons, ...(i.notifiedOn && { notifiedOn: i.notifiedOn }) };
    if (!i.suitable) s.status = 'representative_not_suitable';
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
export function acknowledgement(kase: Kernel, rules: ComplaintCase, version: ComplaintVersion, nextUpdate: NextUpdate, movedLetter: MovedLetter) {
  kase.on(acknowledgeUpdate, (i) => rules.checkAcknowledge(i), async (i) => {
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
