import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { reviewIndexKeys } from './lists';
import { REVIEW, type ReviewState } from '../../workflows/review/definitions';
import type { Alarm } from '../../workflows/kernel/contract';

export interface ActivityDeps {
  models: Models;
}

/** Who each alarm is for: the owner is reminded; a missed review goes up their line and to the quality lead. */
const AUDIENCE: Record<string, string> = {
  'review:reminder': 'review_owner',
  'review:due': 'review_owner',
  'review_overdue:escalation': 'owner_line_manager_and_quality_lead',
};

const SUBJECT: Record<string, (dueOn: string) => string> = {
  'review:reminder': (dueOn) => `Six-month post-implementation review due on ${dueOn}`,
  'review:due': () => 'Six-month post-implementation review due today',
  'review_overdue:escalation': (dueOn) => `Six-month post-implementation review overdue (due ${dueOn})`,
};

/** The record's fields that follow the workflow's state: the lists' and the review's view of it. */
export function projection(state: ReviewState) {
  const dueOn = state.deadlines.review?.dueOn;
  return {
    status: state.status,
    goLiveOn: state.goLiveOn,
    ...(dueOn && { dueOn }),
    reviewedOn: state.reviewedOn ?? null,
    effects: state.effects ?? null,
    youSaidWeDid: state.youSaidWeDid ?? [],
    workflow: state,
  };
}

/** The lists the review is under, by its state (see ./lists.ts). */
export const listKeys = (state: ReviewState) =>
  reviewIndexKeys({ reference: state.reference, ownerId: state.ownerId, status: state.status, dueOn: state.deadlines.review?.dueOn ?? state.goLiveOn, reviewedOn: state.reviewedOn });

function outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null) {
  const what = `${alarm.deadline}:${alarm.action}`;
  const service = typeof record?.serviceName === 'string' ? ` (${record.serviceName})` : '';
  return {
    audience: AUDIENCE[what] ?? 'quality_lead',
    subject: `${reference}${service}: ${SUBJECT[what]?.(alarm.dueOn) ?? alarm.key}`,
  };
}

export function createReviewActivities({ models }: ActivityDeps) {
  return createCaseActivities<ReviewState>({
    models,
    process: REVIEW,
    model: models.Review,
    project: projection,
    indexKeys: listKeys,
    outbox,
    outboxReads: ['serviceName'],
  });
}

export type ReviewActivities = ReturnType<typeof createReviewActivities>;
