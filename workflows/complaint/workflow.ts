import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import type { ComplaintActivities } from '../../activities/complaint/activities';
import { Alarm, ComplaintCase, initialState, TimelineEntry } from './case';
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
  stateQuery,
} from './definitions';

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/**
 * Since this patch a case's activities (a deadline worked out, a timeline entry, the record's
 * projection, an outbox row: each a few milliseconds against our own database) run as local
 * activities, inside the workflow task, instead of as activity tasks the server queues: a new
 * case costs the server one workflow task instead of four, plus three activity tasks. Cases
 * started before it replay on the old path (tests/replay). Remove the old path with
 * deprecatePatch once no such case is open.
 */
export const LOCAL_ACTIVITIES_PATCH = 'complaint-local-activities';
/**
 * Since this patch the writes (timeline, projection, outbox) are queued activities again, and
 * only the deadline planning (a read) stays local. A local activity runs before its workflow
 * task is committed: when that task then fails or is lost (Temporal stopped, a task replayed
 * after a conflict) its writes stay while the workflow never took the change. A queued activity
 * is scheduled by the committed task itself, so the read model only ever sees committed state.
 */
export const COMMITTED_WRITES_PATCH = 'complaint-writes-after-commit';
const localActivities = proxyLocalActivities<ComplaintActivities>(ACTIVITY_OPTIONS);
const queuedActivities = proxyActivities<ComplaintActivities>(ACTIVITY_OPTIONS);

const ALARM_EVENTS = {
  reminder: 'reminder_sent',
  escalation: 'escalated',
  task: 'six_month_letter_due',
  window_end: 'ombudsman_window_ended',
} as const;

/**
 * One escalated complaint, from receipt to the end of its Ombudsman window.
 * Deadlines are alarms derived from the state; any change (an Update) wakes the
 * loop so a moved date re-arms its timer, which is how extensions work.
 */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintState> {
  const writesAfterCommit = patched(COMMITTED_WRITES_PATCH);
  const acts = writesAfterCommit || patched(LOCAL_ACTIVITIES_PATCH) ? localActivities : queuedActivities;
  const writes = writesAfterCommit ? queuedActivities : acts;
  const kase = new ComplaintCase(input.state ?? initialState(input));
  const { reference } = kase.state;
  const now = () => new Date().toISOString();

  // Handlers await activities; one at a time keeps validate-then-apply atomic. The mutex wakes
  // one waiter per release (a flag polled by condition() woke them all at once). A new case
  // takes it before any handler is registered and keeps it until its 'received' state is
  // written, so the timeline always starts with receipt even if an Update arrives at once.
  const mutex = new Mutex();
  const opening = input.state ? undefined : mutex.acquire();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => mutex.runExclusive(fn);

  async function persist(entry: TimelineEntry): Promise<void> {
    if (writesAfterCommit) return writes.recordChange({ entry, state: kase.state });
    await writes.recordTimeline({ reference, entry });
    await writes.projectComplaint({ state: kase.state });
  }

  setHandler(stateQuery, () => kase.state);

  function handle<I>(
    update: UpdateDefinition<ComplaintState, [I]>,
    check: (i: I) => void,
    apply: (i: I) => Promise<TimelineEntry>,
  ): void {
    const run = (i: I) =>
      exclusive(async () => {
        check(i); // again: another handler may have moved the case while this one queued
        await persist(await apply(i));
        return kase.state;
      });
    setHandler(update, run, { validator: check });
  }

  handle(acknowledgeUpdate, (i) => kase.checkAcknowledge(i), async (i) => {
    const response = await acts.planDeadline({
      kind: 'response',
      from: i.acknowledgedOn,
      ...(i.responseDueOn ? { dueOn: i.responseDueOn } : { workingDays: DEFAULTS.responseWorkingDays }),
      remindWorkingDaysBefore: DEFAULTS.responseReminderWorkingDays,
    });
    return kase.change('acknowledged', now(), { ...i, responseDueOn: response.dueOn }, (s) => {
      s.status = 'acknowledged';
      s.acknowledgedOn = i.acknowledgedOn;
      s.deadlines.response = response;
    });
  });

  handle(recordConsentUpdate, (i) => kase.checkConsent(i), async (i) =>
    kase.change('consent_recorded', now(), { ...i }, (s) => {
      s.consentToShare = i.consentToShare;
      s.consentRecordedOn = i.recordedOn;
    }),
  );

  handle(requestProviderAccountUpdate, (i) => kase.checkRequestProviderAccount(i), async (i) => {
    const due = await acts.planDeadline({
      kind: 'provider_account',
      from: i.requestedOn,
      workingDays: i.workingDays ?? DEFAULTS.providerAccountWorkingDays,
      remindWorkingDaysBefore: DEFAULTS.providerAccountReminderWorkingDays,
    });
    return kase.change('provider_account_requested', now(), { ...i, dueOn: due.dueOn }, (s) => {
      s.providerAccountRequestedOn = i.requestedOn;
      s.deadlines.provider_account = due;
    });
  });

  handle(recordProviderAccountUpdate, (i) => kase.checkProviderAccount(i), async (i) =>
    kase.change('provider_account_received', now(), { ...i }, (s) => {
      s.providerAccountReceivedOn = i.receivedOn;
    }),
  );

  handle(extendResponseUpdate, (i) => kase.checkExtend(i), async (i) => {
    const previousDueOn = kase.state.deadlines.response?.dueOn ?? i.agreedOn;
    const response = await acts.planDeadline({
      kind: 'response',
      from: i.agreedOn,
      dueOn: i.newDueOn,
      remindWorkingDaysBefore: DEFAULTS.responseReminderWorkingDays,
    });
    const extension = { previousDueOn, newDueOn: i.newDueOn, reason: i.reason, agreedOn: i.agreedOn };
    return kase.change('response_extended', now(), { ...extension }, (s) => {
      s.extensions.push(extension);
      s.deadlines.response = response;
    });
  });

  handle(respondUpdate, (i) => kase.checkRespond(i), async (i) =>
    kase.change('responded', now(), { ...i }, (s) => {
      s.status = 'responded';
      s.respondedOn = i.respondedOn;
    }),
  );

  handle(closeUpdate, (i) => kase.checkClose(i), async (i) => {
    const window = await acts.planDeadline({
      kind: 'ombudsman_window',
      from: i.closedOn,
      calendarMonths: DEFAULTS.ombudsmanWindowMonths,
    });
    return kase.change('closed', now(), { ...i, ombudsmanWindowEndsOn: window.dueOn }, (s) => {
      s.status = 'closed';
      s.closedOn = i.closedOn;
      s.outcome = i.outcome;
      s.lessonsLearned = i.lessonsLearned;
      s.deadlines.ombudsman_window = window;
    });
  });

  handle(referToOmbudsmanUpdate, (i) => kase.checkOmbudsmanReferral(i), async (i) =>
    kase.change('referred_to_ombudsman', now(), { ...i }, (s) => {
      s.status = 'referred_to_ombudsman';
      s.referredOn = i.referredOn;
    }),
  );

  async function fire(alarm: Alarm): Promise<void> {
    if (!kase.pendingAlarms().some((a) => a.key === alarm.key)) return; // a handler got there first
    if (alarm.action !== 'window_end') await writes.notify({ reference, alarm, at: now() });
    const data = { key: alarm.key, dueOn: alarm.deadline.dueOn };
    await persist(
      kase.change(ALARM_EVENTS[alarm.action], now(), data, (s) => {
        s.fired.push(alarm.key);
        if (alarm.action === 'window_end') s.status = 'completed';
      }),
    );
  }

  if (opening) {
    const release = await opening;
    try {
      const letter = await acts.planDeadline({
        kind: 'six_month_letter',
        from: kase.state.receivedOn,
        calendarMonths: DEFAULTS.sixMonthLetterMonths,
      });
      await persist(
        kase.change('received', now(), { acknowledgeBy: input.acknowledgement.dueOn }, (s) => {
          s.deadlines.six_month_letter = letter;
        }),
      );
    } finally {
      release();
    }
  }

  while (!kase.finished) {
    const [next] = kase.pendingAlarms();
    const version = kase.state.version;
    const changed = () => kase.state.version !== version; // every change, finishing included, bumps it
    if (!next) {
      await condition(changed);
    } else if (!(await condition(changed, Math.max(1, Date.parse(next.at) - Date.now())))) {
      await exclusive(() => fire(next));
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(() => allHandlersFinished() && !mutex.isLocked());
      await continueAsNew<typeof complaintWorkflow>({ ...input, state: kase.state });
    }
  }
  await condition(allHandlersFinished);
  return kase.state;
}
