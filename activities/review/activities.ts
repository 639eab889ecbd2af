import { Models } from '../../models';
import { createCaseActivities } from '../kernel/case-activities';
import { reviewIndexKeys } from '../../records/review/lists';
import { ASSESSMENT_WORDS, missingAssessments, REVIEW, type ReviewState } from '../../contracts/review/definitions';
import type { ReviewRecord } from '../../models/review';
import { REVIEW_WORDS } from '../../contracts/review/vocabulary';
import { alarmWords } from '../../contracts/kernel/vocabulary';
import type { Alarm } from '../../contracts/kernel/case';
import { reviewSearch } from '../../records/review/search';

export interface ActivityDeps {
  models: Models;
}

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
    feedback: state.feedback ?? [],
    workflow: state,
  };
}

/** The lists the review is under, by its state (see ./lists.ts). */
export const listKeys = (state: ReviewState) =>
  reviewIndexKeys({
    reference: state.reference,
    ownerId: state.ownerId,
    status: state.status,
    dueOn: state.deadlines.review?.dueOn ?? state.goLiveOn,
    reviewedOn: state.reviewedOn,
    missingAssessments: !!state.missingAssessments?.length,
  });

function outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null) {
  const what = `${alarm.deadline}:${alarm.action}`;
  const service = typeof record?.serviceName === 'string' ? ` (${record.serviceName})` : '';
  const { audience, subject } = alarmWords(REVIEW_WORDS, what, { n: '', dueOn: alarm.dueOn }, alarm.key);
  // The forms a service went live without are named from the record (the workflow says only that some were).
  const missing = alarm.action === 'missing_assessments' ? `: ${missingAssessments(record?.assessments as ReviewRecord['assessments']).map((a) => ASSESSMENT_WORDS[a].name).join(', ')}` : '';
  return { audience, subject: `${reference}${service}: ${subject}${missing}` };
}

export function createReviewActivities({ models }: ActivityDeps) {
  return createCaseActivities<ReviewState>({
    models,
    process: REVIEW,
    model: models.Review,
    project: projection,
    indexKeys: listKeys,
    search: reviewSearch,
    outbox,
    outboxReads: ['serviceName', 'assessments'],
  });
}

export type ReviewActivities = ReturnType<typeof createReviewActivities>;
