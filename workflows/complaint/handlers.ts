import type { CaseKernel } from '../kernel/run-case';
import { ComplaintCase, letterMovesTo, type ComplaintVersion } from './case';
import {
  acknowledgeUpdate,
  agreeLeadBodyUpdate,
  closeUpdate,
  ComplaintState,
  decideHandlingUpdate,
  decideTimeLimitUpdate,
  DEFAULTS,
  extendResponseUpdate,
  holdUpdate,
  ombudsmanCommentsUpdate,
  ombudsmanComplianceUpdate,
  ombudsmanDraftUpdate,
  ombudsmanFinalUpdate,
  ombudsmanInvestigationUpdate,
  recordComplainantUpdateUpdate,
  recordConsentUpdate,
  recordContributionUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  reopenUpdate,
  requestProviderAccountUpdate,
  resolveInformallyUpdate,
  respondUpdate,
  resumeUpdate,
  withdrawUpdate,
} from '../../contracts/complaint/definitions';

export type { ComplaintVersion };

/**
 * The complaint's human events: each checked by its rule (case.ts), planning any deadline it
 * sets, then recorded as one change.
 */
export function complaintHandlers(kase: CaseKernel<ComplaintState>, version: ComplaintVersion): void {
  const rules = new ComplaintCase(kase.state, version);
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
    // Reg 7(3): after the provider was asked, a withdrawal stops anything further going to it.
    if (!i.consentToShare && s.providerAccountRequestedOn) s.consentWithdrawnOn = i.recordedOn;
    if (i.consentToShare) delete s.consentWithdrawnOn;
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
      if (i.followOn?.length) s.followOn = i.followOn;
      s.deadlines.ombudsman_window = window;
    });
  });

  kase.record(referToOmbudsmanUpdate, (i) => rules.checkOmbudsmanReferral(i), 'referred_to_ombudsman', (s, i) => {
    s.referredOn = i.referredOn;
    if (!version.ombudsmanStage) {
      s.status = 'referred_to_ombudsman';
      return;
    }
    const window = s.deadlines.ombudsman_window;
    s.status = 'with_ombudsman';
    s.ombudsman = { contactedOn: i.referredOn, afterWindow: !!window && i.referredOn > window.dueOn, recommendations: [] };
  });

  holdAndResume(kase, rules, nextUpdate);
  receiptDecisions(kase, rules);
  leadBody(kase, rules);
  ombudsmanStage(kase, rules);
}

type Kernel = CaseKernel<ComplaintState>;

/** A hold pauses the response clock (and the provider's, and updates); resuming recomputes them. */
function holdAndResume(kase: Kernel, rules: ComplaintCase, nextUpdate: (from: string, every: number) => ReturnType<Kernel['plan']>) {
  kase.record(holdUpdate, (i) => rules.checkHold(i), 'put_on_hold', (s, i) => {
    s.status = 'on_hold';
    s.hold = { heldOn: i.heldOn, reason: i.reason };
  });

  kase.on(resumeUpdate, (i) => rules.checkResume(i), async (i) => {
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

/** Decisions on receipt: who handles it (reg 7), an oral complaint resolved at once (reg 8), the time limit (reg 12). */
function receiptDecisions(kase: Kernel, rules: ComplaintCase) {
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

/** Reg 9: another body leads; the response date is its, and the others' contributions are chased. */
function leadBody(kase: Kernel, rules: ComplaintCase) {
  const reminder = [DEFAULTS.externalReminderWorkingDays];
  kase.on(agreeLeadBodyUpdate, (i) => rules.checkLeadBody(i), async (i) => {
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

  kase.record(recordContributionUpdate, (i) => rules.checkContribution(i), 'contribution_received', (s, i) => {
    const c = s.lead!.contributions.find((x) => x.n === i.contribution)!;
    c.receivedOn = i.receivedOn;
  });
}

/** The Ombudsman's investigation: draft report and comments, final report, recommendations met. */
function ombudsmanStage(kase: Kernel, rules: ComplaintCase) {
  const reminder = [DEFAULTS.externalReminderWorkingDays];
  kase.record(ombudsmanInvestigationUpdate, (i) => rules.checkOmbudsmanInvestigation(i), 'ombudsman_investigation_opened', (s, i) => {
    s.ombudsman!.investigationOpenedOn = i.openedOn;
  });

  kase.on(ombudsmanDraftUpdate, (i) => rules.checkOmbudsmanDraft(i), async (i) => {
    const due = await kase.plan({ id: 'ombudsman_comments', from: i.receivedOn, dueOn: i.commentsDueOn, remindWorkingDaysBefore: reminder });
    return kase.change('ombudsman_draft_report', { ...i }, (s) => {
      s.ombudsman!.draftReportOn = i.receivedOn;
      s.deadlines.ombudsman_comments = due;
    });
  });

  kase.record(ombudsmanCommentsUpdate, (i) => rules.checkOmbudsmanComments(i), 'ombudsman_comments_sent', (s, i) => {
    s.ombudsman!.commentsSentOn = i.sentOn;
  });

  kase.on(ombudsmanFinalUpdate, (i) => rules.checkOmbudsmanFinal(i), async (i) => {
    const recommendations = i.recommendations.map((r, k) => ({ n: k + 1, summary: r.summary, dueOn: r.dueOn }));
    const planned = await Promise.all(
      recommendations.map((r) => kase.plan({ id: `recommendation:${r.n}`, from: i.receivedOn, dueOn: r.dueOn, remindWorkingDaysBefore: reminder })),
    );
    return kase.change('ombudsman_final_report', { ...i, recommendations }, (s) => {
      const stage = s.ombudsman!;
      stage.finalReportOn = i.receivedOn;
      stage.finding = i.finding;
      stage.recommendations = recommendations;
      for (const d of planned) s.deadlines[d.id as `recommendation:${number}`] = d;
      if (!recommendations.length) s.status = 'completed';
    });
  });

  // The case completes when the last recommendation is shown to be met.
  kase.record(ombudsmanComplianceUpdate, (i) => rules.checkOmbudsmanCompliance(i), 'ombudsman_recommendation_met', (s, i) => {
    const stage = s.ombudsman!;
    const r = stage.recommendations.find((x) => x.n === i.recommendation)!;
    r.metOn = i.metOn;
    r.evidence = i.evidence;
    if (stage.recommendations.every((x) => x.metOn)) s.status = 'completed';
  });
}
