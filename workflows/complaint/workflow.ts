import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ComplaintActivities } from '../../activities/complaint/activities';
import { ACTIVITY_OPTIONS } from '../kernel/io';
import { runCase, type CaseIO } from '../kernel/run-case';
import { complaintRules, ComplaintCase, initialState, upgradeLegacyState } from './case';
import {
  acknowledgeUpdate,
  closeUpdate,
  ComplaintState,
  ComplaintWorkflowInput,
  DEFAULTS,
  extendResponseUpdate,
  recordConsentUpdate,
  recordProviderAccountUpdate,
  referToOmbudsmanUpdate,
  requestProviderAccountUpdate,
  respondUpdate,
  snapshotQuery,
  stateQuery,
} from './definitions';

const local = proxyLocalActivities<ComplaintActivities>(ACTIVITY_OPTIONS);
const queued = proxyActivities<ComplaintActivities>(ACTIVITY_OPTIONS);

/**
 * Since this patch deadline planning runs as a local activity, inside the workflow task: a case
 * costs the server one workflow task per change instead of several. Cases started before it
 * replay on the old path (tests/replay/histories/queued-activities).
 */
export const LOCAL_ACTIVITIES_PATCH = 'complaint-local-activities';
/**
 * Since this patch the writes (timeline, projection, outbox) are queued activities, scheduled by
 * the committed workflow task: a local activity runs before its task commits, so a task that
 * then failed left writes the workflow never took. Before it they ran beside the planning, the
 * timeline and the projection as two calls (tests/replay/histories/local-activities).
 */
export const COMMITTED_WRITES_PATCH = 'complaint-writes-after-commit';

function complaintIO(): CaseIO<ComplaintState> {
  // Activity proxies have no own properties to spread: each activity is picked by name.
  if (patched(COMMITTED_WRITES_PATCH)) {
    return { planDeadline: local.planDeadline, planRepeat: local.planRepeat, recordChange: queued.recordChange, notify: queued.notify };
  }
  const acts = patched(LOCAL_ACTIVITIES_PATCH) ? local : queued;
  return {
    planDeadline: acts.planDeadline,
    planRepeat: acts.planRepeat,
    notify: acts.notify,
    async recordChange({ reference, entry, snapshot }) {
      await acts.recordTimeline({ reference, entry });
      await acts.projectComplaint({ snapshot });
    },
  };
}

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
      const letter = await kase.plan({ id: 'six_month_letter', from: input.receivedOn, calendarMonths: DEFAULTS.sixMonthLetterMonths, onTheDay: true });
      return kase.change('received', { acknowledgeBy: input.acknowledgement.dueOn }, (s) => {
        s.deadlines.six_month_letter = letter;
      });
    },
    handlers(kase) {
      const rules = new ComplaintCase(kase.state);
      const responseReminder = [DEFAULTS.responseReminderWorkingDays];

      kase.on(acknowledgeUpdate, (i) => rules.checkAcknowledge(i), async (i) => {
        const response = await kase.plan({
          id: 'response',
          from: i.acknowledgedOn,
          ...(i.responseDueOn ? { dueOn: i.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
          remindWorkingDaysBefore: responseReminder,
        });
        return kase.change('acknowledged', { ...i, responseDueOn: response.dueOn }, (s) => {
          s.status = 'acknowledged';
          s.acknowledgedOn = i.acknowledgedOn;
          s.deadlines.response = response;
        });
      });

      kase.on(recordConsentUpdate, (i) => rules.checkConsent(i), async (i) =>
        kase.change('consent_recorded', { ...i }, (s) => {
          s.consentToShare = i.consentToShare;
          s.consentRecordedOn = i.recordedOn;
        }),
      );

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

      kase.on(recordProviderAccountUpdate, (i) => rules.checkProviderAccount(i), async (i) =>
        kase.change('provider_account_received', { ...i }, (s) => (s.providerAccountReceivedOn = i.receivedOn)),
      );

      kase.on(extendResponseUpdate, (i) => rules.checkExtend(i), async (i) => {
        const previousDueOn = kase.state.deadlines.response?.dueOn ?? i.agreedOn;
        const response = await kase.plan({ id: 'response', from: i.agreedOn, dueOn: i.newDueOn, remindWorkingDaysBefore: responseReminder });
        const extension = { previousDueOn, newDueOn: i.newDueOn, reason: i.reason, agreedOn: i.agreedOn };
        return kase.change('response_extended', { ...extension }, (s) => {
          s.extensions.push(extension);
          s.deadlines.response = response;
        });
      });

      kase.on(respondUpdate, (i) => rules.checkRespond(i), async (i) =>
        kase.change('responded', { ...i }, (s) => {
          s.status = 'responded';
          s.respondedOn = i.respondedOn;
        }),
      );

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

      kase.on(referToOmbudsmanUpdate, (i) => rules.checkOmbudsmanReferral(i), async (i) =>
        kase.change('referred_to_ombudsman', { ...i }, (s) => {
          s.status = 'referred_to_ombudsman';
          s.referredOn = i.referredOn;
        }),
      );
    },
  });
}
