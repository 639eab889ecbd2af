import { Client } from '@temporalio/client';
import type { Request } from 'express';
import { reviewIndexKeys, reviewListRange, reviewProviderKey } from '../../records/review/lists';
import { reviewDueOn, reviewWorkflowInput } from '../../records/review/start';
import { londonDate } from '../../lib/calendar';
import { Models } from '../../models';
import { addIndexKeys, findByIds, pageOfRanges, referenceOf, type KeyRange } from '../../models/case-index';
import type { ReviewRecord } from '../../models/review';
import { upgradeDeadlines, type Actor } from '../../contracts/kernel/case';
import { documentsOfCase } from '../documents/of-case';
import type { ImportedStart } from '../../contracts/kernel/imported';
import { missingAssessments, type ImportedReview, type Assessment, REVIEW, ReviewState, ReviewWorkflowInput, stateQuery, type FeedbackMethod } from '../../contracts/review/definitions';
import { Cases } from '../kernel/cases';
import type { CaseEvent } from '../kernel/events';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import { CreateReviewBody, ListReviewsQuery, type DelegatesBody } from './schemas';
import { keyedPage } from '../kernel/paging';

export interface ReviewServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** The app's bounded calls to Temporal (see ../temporal.ts). */
  calls: TemporalCalls;
  referenceData?: ReferenceData;
}

const isOpen = (status: string) => (REVIEW.open as readonly string[]).includes(status);

/** What a client sees of a review in a list: the record, with "overdue" worked out today. */
export function toView(record: ReviewRecord, today: string) {
  return {
    reference: record._id,
    serviceName: record.serviceName,
    providerCode: record.providerCode ?? null,
    goLiveOn: record.goLiveOn,
    scheduledOn: record.scheduledOn,
    dueOn: record.dueOn,
    owner: { id: record.owner.id, name: record.owner.name },
    status: record.status,
    overdue: isOpen(record.status) && record.dueOn < today,
    reviewedOn: record.reviewedOn ?? null,
    // From the record's flags, so a review scheduled before the workflow knew of them is flagged too.
    missingAssessments: missingAssessments(record.assessments),
    deadlines: upgradeDeadlines(record.workflow?.deadlines),
  };
}

/** Each time "you said, we did" went back, as the record's projection keeps it. */
export const feedbackOf = (record: ReviewRecord) => (record.feedback ?? []).map(({ givenOn, method, to }) => ({ givenOn, method: method as FeedbackMethod, to }));

/** The most a calendar feed or a year's report reads in one go. */
const MAX_READ = 5_000;

export class ReviewService {
  readonly cases: Cases<ReviewRecord, ReviewState>;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.cases = new Cases({
      ...deps,
      process: REVIEW,
      model: deps.models.Review,
      stateQuery,
      workflowInput: (record) => reviewWorkflowInput(record),
      // A recorded review's workflow has ended; feedback to those who took part resumes it from here.
      projectedState: (record) => (record.workflow as ReviewState | undefined) ?? undefined,
    });
  }

  /**
   * Schedule a review and start its workflow (see Cases.open). An imported one (npm run import)
   * keeps the day it was scheduled in the source system and any due date agreed there.
   */
  async create(body: CreateReviewBody, actor: Actor, idempotencyKey?: string, imported?: { start: ImportedStart<ImportedReview>; scheduledOn: string }) {
    const scheduledOn = imported?.scheduledOn ?? londonDate(Date.now());
    const dueOn = imported?.start.at.dueOn ?? reviewDueOn(body.goLiveOn);
    const { remindDaysBefore, escalateEveryWorkingDays, ...fields } = body;
    const missing = missingAssessments(body.assessments);
    const { replayed, record } = await this.cases.open({
      // The row's state is part of the request: the same source id with another state is another request.
      body: imported ? { ...body, importedAt: { ...imported.start.at, scheduledOn } } : body,
      by: actor.id,
      idempotencyKey,
      build: (reference, workflowId) => ({
        _id: reference,
        ...fields,
        scheduledOn,
        status: 'scheduled',
        dueOn,
        indexKeys: reviewIndexKeys({ reference, ownerId: body.owner.id, status: 'scheduled', dueOn, missingAssessments: missing.length > 0 }),
        workflowId,
        // Ids, dates and numbers only; kept so a repeat, or the reconciler, starts the same workflow.
        workflowInput: {
          reference,
          ownerId: body.owner.id,
          goLiveOn: body.goLiveOn,
          scheduledOn,
          ...(remindDaysBefore && { remindDaysBefore }),
          ...(escalateEveryWorkingDays && { escalateEveryWorkingDays }),
          // Which forms, not what they say: raised with the quality lead as the review is scheduled.
          ...(missing.length && { missingAssessments: missing }),
          ...(imported && { imported: imported.start }),
          openedBy: actor,
        } satisfies ReviewWorkflowInput,
      }),
    });
    // The provider's entry (never moved, so not among the entries the projection moves); a repeat adds it again harmlessly.
    if (record.providerCode) await addIndexKeys(this.deps.models.CaseIndex, [reviewProviderKey(record.providerCode, record._id)]);
    return { replayed, view: toView(record, scheduledOn) };
  }

  /** A page of a list, from the case index (records/review/lists.ts), then its records by _id. */
  async list(query: ListReviewsQuery) {
    const today = londonDate(Date.now());
    const range = reviewListRange({ owner: query.owner, status: query.status, dueWithinDays: query.due, overdue: query.overdue, missingAssessments: query.missingAssessments }, today);
    const { keys, total, ...page } = await keyedPage(this.deps.models.CaseIndex, [range], query);
    const records = await findByIds<ReviewRecord>(this.deps.models.Review, keys.map(referenceOf));
    return { items: records.map((r) => toView(r, today)), ...page, total: total ?? 0 };
  }

  /** Every record in a range of the case index, in its order (a calendar feed, a year's report). */
  async recordsIn(range: KeyRange): Promise<ReviewRecord[]> {
    const { keys } = await pageOfRanges(this.deps.models.CaseIndex, [range], 0, MAX_READ);
    return findByIds<ReviewRecord>(this.deps.models.Review, keys.map(referenceOf));
  }

  async get(reference: string) {
    const record = await this.cases.record(reference);
    // Live state from the workflow; the projection still answers if Temporal is away.
    return this.detail(record, this.cases.live(record));
  }

  /** Give the review to other commissioners besides its owner (an administrator's; see api/auth/permissions.ts). */
  async setDelegates(reference: string, delegates: DelegatesBody['delegates']) {
    await this.cases.record(reference);
    await this.deps.models.Review.updateOne({ _id: reference }, { $set: { delegates } });
    return this.get(reference);
  }

  /**
   * The assessment's form itself: a document already uploaded to this review (a 400 naming
   * body.document otherwise), held by the assessment. Whether the service went live with it
   * completed stays as recorded at scheduling: a form attached later does not undo that finding.
   */
  async attachAssessment(reference: string, assessment: Assessment, document: string) {
    await this.cases.record(reference);
    const [doc] = await documentsOfCase(this.deps.models, reference, [document], 'body.document');
    await this.deps.models.Review.updateOne({ _id: reference }, { $set: { [`assessments.${assessment}.document`]: { id: doc.id, filename: doc.filename } } });
    return this.get(reference);
  }

  /** A human event, sent through its line of the event table; answers the review as it now stands. */
  async event(event: CaseEvent<ReviewState>, reference: string, req: Request) {
    const { record, live } = await event.send(this.cases, reference, req);
    return this.detail(record, Promise.resolve(live));
  }

  private async detail(record: ReviewRecord, liveState: Promise<ReviewState | null>) {
    const [live, timeline] = await Promise.all([liveState, this.cases.timeline(record._id)]);
    return {
      ...toView(record, londonDate(Date.now())),
      ...(live ? { deadlines: live.deadlines } : {}),
      whatChanged: record.whatChanged,
      owner: record.owner,
      delegates: (record.delegates ?? []).map(({ id, name }) => ({ id, name })),
      assessments: record.assessments,
      patientEngagement: record.patientEngagement,
      effects: record.effects ?? null,
      youSaidWeDid: record.youSaidWeDid ?? [],
      feedback: feedbackOf(record),
      ...this.cases.stateOf(record, live),
      timeline,
    };
  }
}
