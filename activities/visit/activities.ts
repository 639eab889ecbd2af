import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { unmetDeadlines } from '../../workflows/visit/case';
import { VISIT, type VisitState } from '../../workflows/visit/definitions';
import type { Alarm, CaseSnapshot, Deadline, TimelineEntry } from '../../workflows/kernel/contract';
import { writeActionPlanLink } from './links';
import { visitIndexKeys } from './lists';

export interface VisitActivityDeps {
  models: Models;
}

/** Who each alarm is for, by deadline and action. */
const AUDIENCE: Record<string, string> = {
  'visit:reminder': 'panel',
  'visit:escalation': 'quality_lead',
  'provider_notice:notify_provider': 'provider',
  'information:reminder': 'provider',
  'information:escalation': 'quality_lead',
  'draft_report:reminder': 'case_owner',
  'draft_report:escalation': 'quality_lead',
  'factual_accuracy:reminder': 'provider',
  'factual_accuracy:window_end': 'case_owner',
  'comments_review:escalation': 'quality_lead',
  'final_report:escalation': 'quality_lead',
};

const SUBJECT: Record<string, string> = {
  'visit:reminder': 'Insight visit coming up: panel reminder',
  'visit:escalation': 'Insight visit date passed and not recorded as taken place or postponed',
  'provider_notice:notify_provider': 'Announced insight visit: notice of the visit and request for information',
  'information:reminder': 'Information requested before the insight visit is due soon',
  'information:escalation': 'Information requested before the insight visit is overdue',
  'draft_report:reminder': 'Draft insight visit report due soon',
  'draft_report:escalation': 'Draft insight visit report overdue',
  'factual_accuracy:reminder': 'Factual-accuracy comments on the draft visit report are due soon',
  'factual_accuracy:window_end': 'Factual-accuracy window ended without comments: finalise the report',
  'comments_review:escalation': 'Factual-accuracy comments awaiting review (by someone not on the panel)',
  'final_report:escalation': 'Final insight visit report overdue',
};

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
  return { audience: AUDIENCE[what] ?? 'quality_lead', subject: `${reference}: ${SUBJECT[what] ?? alarm.key}` };
}

export function createVisitActivities({ models }: VisitActivityDeps) {
  const activities = createCaseActivities<VisitState>({ models, process: VISIT, model: models.Visit, project: projection, indexKeys: listKeys, outbox });
  return {
    ...activities,
    /**
     * A committed change, then the action-plan link its final report asks for (if any): after the
     * projection, keyed, so a retry or a later change writes it once and repairs a half-made one.
     */
    async recordChange(input: { reference: string; entry: TimelineEntry; snapshot: CaseSnapshot<VisitState> }): Promise<void> {
      await activities.recordChange(input);
      if (input.snapshot.case.actionPlan) await writeActionPlanLink(models, input.snapshot.case);
    },
  };
}

export type VisitActivities = ReturnType<typeof createVisitActivities>;
