import { ApplicationFailure } from '@temporalio/activity';
import { CalendarError } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { closureDates, Models } from '../../models';
import { insertOnce, updateIfNewer } from '../../models/connection';
import { unmetDeadlines, type Alarm, type TimelineEntry } from '../../workflows/complaint/case';
import type { ComplaintState, Deadline, DeadlineKind, PlanDeadlineInput } from '../../workflows/complaint/definitions';

export interface ActivityDeps {
  models: Models;
}

const AUDIENCE: Record<DeadlineKind, Record<string, string>> = {
  acknowledgement: { escalation: 'quality_lead' },
  provider_account: { reminder: 'provider', escalation: 'quality_lead' },
  response: { reminder: 'case_owner', escalation: 'quality_lead' },
  six_month_letter: { task: 'case_owner' },
  ombudsman_window: {},
};

const SUBJECT: Record<string, string> = {
  'acknowledgement:escalation': 'Acknowledgement deadline missed',
  'provider_account:reminder': 'Provider account due soon',
  'provider_account:escalation': 'Provider account overdue',
  'response:reminder': 'Response to complainant due soon',
  'response:escalation': 'Response to complainant overdue',
  'six_month_letter:task': 'Six months without a response: write to the complainant explaining why',
};

/** The earliest unmet deadline: what the list sorts by and "overdue" compares. */
function nextDeadline(state: ComplaintState): Deadline | undefined {
  return unmetDeadlines(state)
    .flatMap((kind) => state.deadlines[kind] ?? [])
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
}

/** The record's fields that follow the workflow's state: the list's and the case's view of it. */
export function projection(state: ComplaintState) {
  const next = nextDeadline(state);
  return {
    status: state.status,
    consentToShare: state.consentToShare,
    nextDueOn: next?.dueOn ?? null,
    nextDeadlineKind: next?.kind ?? null,
    outcome: state.outcome ?? null,
    workflow: state,
  };
}

export function createComplaintActivities({ models }: ActivityDeps) {
  const activities = {
    async planDeadline(input: PlanDeadlineInput): Promise<Deadline> {
      try {
        return planDeadline(input, await closureDates(models));
      } catch (err) {
        // A date the calendar does not cover will not fix itself on retry.
        if (err instanceof CalendarError) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
    },

    async recordTimeline({ reference, entry }: { reference: string; entry: TimelineEntry }): Promise<void> {
      await insertOnce(models.Timeline, {
        _id: `${reference}:${entry.seq}`,
        caseType: 'complaint',
        reference,
        seq: entry.seq,
        type: entry.type,
        at: new Date(entry.at),
        data: entry.data,
      });
    },

    /** Only moves forward: a retried or late write of an older version changes nothing. */
    async projectComplaint({ state }: { state: ComplaintState }): Promise<void> {
      await updateIfNewer(models.Complaint, state.reference, 'projectionVersion', state.version, projection(state));
    },

    /**
     * A committed change: its timeline entry, then the projection. A queued activity, scheduled
     * by the workflow task that made the change, so nothing here is written for a task that
     * never committed. Both writes are keyed, so a retry of either half changes nothing.
     */
    async recordChange({ entry, state }: { entry: TimelineEntry; state: ComplaintState }): Promise<void> {
      await activities.recordTimeline({ reference: state.reference, entry });
      await activities.projectComplaint({ state });
    },

    /** Queue a reminder, escalation or task in the outbox, once per alarm (at: workflow time). */
    async notify({ reference, alarm, at }: { reference: string; alarm: Alarm; at: string }): Promise<void> {
      const record = await models.Complaint.findById(reference, { communicationNeeds: 1 }).lean();
      await insertOnce(models.Notification, {
        _id: `${reference}:${alarm.key}`,
        caseType: 'complaint',
        reference,
        kind: alarm.action,
        deadline: alarm.kind,
        audience: AUDIENCE[alarm.kind][alarm.action] ?? 'quality_lead',
        dueOn: alarm.deadline.dueOn,
        subject: `${reference}: ${SUBJECT[`${alarm.kind}:${alarm.action}`] ?? alarm.key}`,
        communicationNeeds: record?.communicationNeeds ?? [],
        createdAt: new Date(at),
      });
    },
  };
  return activities;
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
