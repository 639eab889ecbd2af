import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { complaintIndexKeys } from '../../records/complaint/lists';
import { unmetDeadlines } from '../../workflows/complaint/case';
import { COMPLAINT, type ComplaintState } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import { alarmWords } from '../../contracts/kernel/vocabulary';
import type { Alarm, Deadline } from '../../contracts/kernel/case';
import { complaintSearch } from '../../records/complaint/search';

export interface ActivityDeps {
  models: Models;
}

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
  const { audience, subject } = alarmWords(COMPLAINT_WORDS, what, { n: '', dueOn: alarm.dueOn }, alarm.key);
  return {
    audience,
    subject: `${reference}: ${subject}`,
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
    search: complaintSearch,
    outbox,
    outboxReads: ['communicationNeeds'],
  });
  // Saved histories schedule the projection by this name (tests/replay).
  return { ...activities, projectComplaint: project };
}

/**
 * As the worker registers them (activities/index.ts): the complaint came before the kernel, so its
 * activities keep their unprefixed names, but its one write since KERNEL_ONE_WRITE_PATCH is named
 * as every process's (`complaint.commit`).
 */
export function complaintActivityRegistry(deps: ActivityDeps) {
  const { commit, ...activities } = createComplaintActivities(deps);
  return { ...activities, [`${COMPLAINT.name}.commit`]: commit };
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
