import { patched } from '@temporalio/workflow';
import { runCase } from '../kernel/run-case';
import { complaintRules, ComplaintCase, initialState, upgradeLegacyState } from './case';
import { complaintIO } from './io';
import {
  acknowledgeUpdate,
  closeUpdate,
  ComplaintState,
  ComplaintWorkflowInput,
  DEFAULTS,
  extendResponseUpdate,
  recordConsentUpdate,
  recordComplainantUpdateUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
  snapshotQuery,
  stateQuery,
  withdrawUpdate,
} from './definitions';

/**
 * Since this patch an extension agreed after the response date it extends is refused. Cases
 * started before it keep accepting one (their histories may hold such an extension).
 */
export const EXTENSION_IN_TIME_PATCH = 'complaint-extension-agreed-in-time';

/**
 * Since this patch an acknowledged case keeps the complainant informed (reg 14(1)(b)): an update
 * is due every few working days until the response, raised as a task on the day.
 */
export const KEEP_INFORMED_PATCH = 'complaint-keep-informed';

/** One escalated complaint, from receipt to the end of its Ombudsman window. */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintState> {
  return runCase<ComplaintState, ComplaintWorkflowInput>({
    reference: input.reference,
    input: { ...input, snapshot: upgradeLegacyState(input), state: undefined },
    initial: () => initialState(input),
    rules: complaintRules,
    io: complaintIO(),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      // Reg 14(2): a statutory date; local closure days do not move the day the letter is raised.
      const letter = await kase.plan({
        id: 'six_month_letter',
        from: input.receivedOn,
        calendarMonths: DEFAULTS.sixMonthLetterMonths,
        onTheDay: true,
        calendar: 'statutory',
      });
      return kase.change('received', { acknowledgeBy: input.acknowledgement.dueOn }, (s) => {
        s.deadlines.six_month_letter = letter;
      });
    },
    handlers(kase) {
      // Asked once, as the run starts: a rule is the same for every event of a run.
      const rules = new ComplaintCase(kase.state, { extensionAgreedInTime: patched(EXTENSION_IN_TIME_PATCH) });
      const keepInformed = patched(KEEP_INFORMED_PATCH);
      const nextUpdate = (from: string, every: number) =>
        kase.plan({ id: 'complainant_update', from, workingDays: every, onTheDay: true });
      const responseReminder = [DEFAULTS.responseReminderWorkingDays];

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
        return kase.change('acknowledged', { ...i, responseDueOn: response.dueOn, responsePeriod }, (s) => {
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
        return kase.change('response_extended', { ...extension }, (s) => {
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
    },
  });
}
