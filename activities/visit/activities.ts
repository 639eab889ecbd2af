import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { unmetDeadlines } from '../../workflows/visit/case';
import { VISIT, type VisitState } from '../../contracts/visit/definitions';
import { VISIT_WORDS } from '../../contracts/visit/vocabulary';
import { alarmWords } from '../../contracts/kernel/vocabulary';
import type { Alarm, Deadline } from '../../contracts/kernel/case';
import { writeActionPlanLink } from '../../records/visit/links';
import { visitIndexKeys } from '../../records/visit/lists';
import { visitSearch } from '../../records/visit/search';

export interface VisitActivityDeps {
  models: Models;
}

/** The earliest unmet deadline: what the list sorts by and "overdue" compares. */
function nextDeadline(state: VisitState): Deadline | undefined {
  return unmetDeadlines(state)
    .flatMap((id) => state.deadlines[id] ?? [])
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
}

/** The record's fields that follow the workflow's state: the list's and the visit's view of it. */
export function projection(state: VisitState) {
  const next = nextDeadline(state);
  return {
    status: state.status,
    visitDate: state.visitDate,
    nextDueOn: next?.dueOn ?? null,
    nextDeadlineKind: next?.id ?? null,
    workflow: state,
  };
}

export const listKeys = (state: VisitState) => visitIndexKeys({ ...state, ...projection(state) });

function outbox(alarm: Alarm, reference: string) {
  // One wording for each of many: `provider_notice:2026-12-21` reads as `provider_notice`.
  const what = `${alarm.deadline.split(':')[0]}:${alarm.action}`;
  const { audience, subject } = alarmWords(VISIT_WORDS, what, { n: '', dueOn: alarm.dueOn }, alarm.key);
  return { audience, subject: `${reference}: ${subject}` };
}

export function createVisitActivities({ models }: VisitActivityDeps) {
  return createCaseActivities<VisitState>({
    models,
    process: VISIT,
    model: models.Visit,
    project: projection,
    indexKeys: listKeys,
    search: visitSearch,
    outbox,
    // The action-plan request a final report makes: after the projection, keyed, so a retry or a
    // later change writes it once and repairs a half-made one.
    afterProject: (state) => writeActionPlanLink(models, state),
  });
}

export type VisitActivities = ReturnType<typeof createVisitActivities>;
