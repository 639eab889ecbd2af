import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { complaintIndexKeys } from './lists';
import { unmetDeadlines } from '../../workflows/complaint/case';
import { COMPLAINT, type ComplaintState } from '../../workflows/complaint/definitions';
import type { Alarm, Deadline } from '../../workflows/kernel/contract';

export interface ActivityDeps {
  models: Models;
}

/** Who each alarm is for, by deadline and action (reminders and escalations of other bodies' dates go to the quality lead). */
const AUDIENCE: Record<string, string> = {
  'acknowledgement:reminder': 'case_owner',
  'acknowledgement:escalation': 'quality_lead',
  'provider_account:reminder': 'provider',
  'provider_account:escalation': 'quality_lead',
  'response:reminder': 'case_owner',
  'response:escalation': 'quality_lead',
  'six_month_letter:task': 'case_owner',
  'complainant_update:update_due': 'case_owner',
  'safeguarding_concern:safeguarding_concern': 'safeguarding_lead',
};

const SUBJECT: Record<string, string> = {
  'acknowledgement:reminder': 'Acknowledgement due today (3 working days after receipt)',
  'acknowledgement:escalation': 'Acknowledgement deadline missed',
  'provider_account:reminder': 'Provider account due soon',
  'provider_account:escalation': 'Provider account overdue',
  'response:reminder': 'Response to complainant due soon',
  'response:escalation': 'Response to complainant overdue',
  'six_month_letter:task': 'Six months without a response: write to the complainant explaining why',
  'complainant_update:update_due': 'An update on progress is due to the complainant',
  'safeguarding_concern:safeguarding_concern': 'Safeguarding concern raised in a complaint received today',
  'contribution:reminder': 'A contribution from another body is due soon (reg 9)',
  'contribution:escalation': 'A contribution from another body is overdue (reg 9)',
  'ombudsman_comments:reminder': 'Comments on the Ombudsman’s draft report are due soon',
  'ombudsman_comments:escalation': 'Comments on the Ombudsman’s draft report are overdue',
  'recommendation:reminder': 'An Ombudsman recommendation is due soon',
  'recommendation:escalation': 'An Ombudsman recommendation is overdue',
};

/** The earliest unmet deadline: what the list sorts by and "overdue" compares. */
function nextDeadline(state: ComplaintState): Deadline | undefined {
  return unmetDeadlines(state)
    .flatMap((id) => state.deadlines[id] ?? [])
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
}

/** The record's fields that follow the workflow's state: the list's and the case's view of it. */
export function projection(state: ComplaintState) {
  const next = nextDeadline(state);
  return {
    status: state.status,
    consentToShare: state.consentToShare,
    nextDueOn: next?.dueOn ?? null,
    nextDeadlineKind: next?.id ?? null,
    outcome: state.outcome ?? null,
    workflow: state,
  };
}

/** The lists the case is under, by the state's projection (see ./lists.ts). */
export const listKeys = (state: ComplaintState) => complaintIndexKeys({ ...state, ...projection(state) });

function outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null) {
  // One wording for each of many: `recommendation:2` reads as `recommendation`.
  const what = `${alarm.deadline.replace(/:\d+$/, '')}:${alarm.action}`;
  return {
    audience: AUDIENCE[what] ?? 'quality_lead',
    subject: `${reference}: ${SUBJECT[what] ?? alarm.key}`,
    // Shown wherever a letter or call to the complainant is due (Accessible Information Standard).
    communicationNeeds: Array.isArray(record?.communicationNeeds) ? record.communicationNeeds : [],
  };
}

export function createComplaintActivities({ models }: ActivityDeps) {
  const { project, ...activities } = createCaseActivities<ComplaintState>({
    models,
    process: COMPLAINT,
    model: models.Complaint,
    project: projection,
    indexKeys: listKeys,
    outbox,
    outboxReads: ['communicationNeeds'],
  });
  // Saved histories schedule the projection by this name (tests/replay).
  return { ...activities, projectComplaint: project };
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
