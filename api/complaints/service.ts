import { Client } from '@temporalio/client';
import { acknowledgementDeadline, complaintWorkflowInput } from '../../activities/complaint/start';
import { londonDate } from '../../lib/calendar';
import { Models } from '../../models';
import { ComplaintRecord } from '../../models/complaint';
import { COMPLAINT, ComplaintState, ComplaintWorkflowInput, stateQuery } from '../../workflows/complaint/definitions';
import { upgradeDeadline, type Actor, type Deadline } from '../../workflows/kernel/contract';
import type { Request } from 'express';
import { badRequest } from '../errors';
import { Cases } from '../kernel/cases';
import type { CaseEvent } from '../kernel/events';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import { CreateComplaintBody, ListComplaintsQuery } from './schemas';

export interface ServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** Providers and closure days, cached; the app's one copy, shared with the closure-day routes. */
  referenceData: ReferenceData;
  /** The app's bounded calls to Temporal (see ../temporal.ts). */
  calls: TemporalCalls;
}

/** A case's deadlines as today's shape, whichever version of the workflow projected them. */
function deadlinesOf(state: { deadlines?: Record<string, Deadline> } | null | undefined) {
  return Object.fromEntries(Object.entries(state?.deadlines ?? {}).map(([id, d]) => [id, upgradeDeadline(d)]));
}

/** What a client sees of a case: the record, with the list's overdue flag worked out today. */
export function toView(record: ComplaintRecord, today: string) {
  return {
    reference: record._id,
    providerCode: record.providerCode,
    source: record.source,
    receivedAt: record.receivedOn,
    category: record.category,
    status: record.status,
    consentToShare: record.consentToShare,
    acknowledgeBy: record.acknowledgeBy,
    nextDueOn: record.nextDueOn ?? null,
    nextDeadlineKind: record.nextDeadlineKind ?? null,
    overdue: !!record.nextDueOn && record.nextDueOn < today,
    communicationNeeds: record.communicationNeeds ?? [],
    deadlines: deadlinesOf(record.workflow),
    outcome: record.outcome ?? null,
  };
}

export class ComplaintService {
  readonly cases: Cases<ComplaintRecord, ComplaintState>;

  constructor(private readonly deps: ServiceDeps) {
    this.cases = new Cases({
      ...deps,
      process: COMPLAINT,
      model: deps.models.Complaint,
      stateQuery,
      workflowInput: (record) => complaintWorkflowInput(record, () => deps.referenceData.closureDates()),
    });
  }

  /** Open a case and start its workflow (see Cases.open). */
  async create(body: CreateComplaintBody, actor: Actor, idempotencyKey?: string) {
    const [activeProvider, closures] = await Promise.all([
      this.deps.referenceData.isActiveProvider(body.providerCode),
      this.deps.referenceData.closureDates(),
    ]);
    const acknowledgement = acknowledgementDeadline(body.receivedAt, closures);
    const { receivedAt, ...fields } = body;
    const { replayed, record } = await this.cases.open({
      body,
      idempotencyKey,
      refusal: activeProvider ? undefined : badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`),
      build: (reference, workflowId) => ({
        _id: reference,
        ...fields,
        receivedOn: receivedAt,
        status: 'received',
        acknowledgeBy: acknowledgement.dueOn,
        nextDueOn: acknowledgement.dueOn,
        nextDeadlineKind: 'acknowledgement',
        workflowId,
        // Kept so a repeat, or the reconciler, can start the same workflow if this request dies.
        workflowInput: {
          reference,
          providerCode: body.providerCode,
          receivedOn: receivedAt,
          consentToShare: body.consentToShare,
          acknowledgement,
          openedBy: actor,
        } satisfies ComplaintWorkflowInput,
      }),
    });
    const view = toView(record, londonDate(Date.now()));
    // Until the workflow's first projection lands, the deadline planned here is the one in force.
    if (!replayed) view.deadlines = { acknowledgement };
    return { replayed, view };
  }

  async list(query: ListComplaintsQuery) {
    const today = londonDate(Date.now());
    const filter: Record<string, unknown> = {};
    if (query.status === 'open') filter.status = { $in: COMPLAINT.open };
    else if (query.status) filter.status = query.status;
    if (query.provider) filter.providerCode = query.provider;
    if (query.overdue === true) filter.nextDueOn = { $lt: today };
    if (query.overdue === false) filter.$or = [{ nextDueOn: null }, { nextDueOn: { $gte: today } }];
    const { Complaint } = this.deps.models;
    const [records, total] = await Promise.all([
      Complaint.find(filter)
        .sort({ nextDueOn: 1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean(),
      Complaint.countDocuments(filter),
    ]);
    return { items: records.map((r) => toView(r, today)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(reference: string) {
    const record = await this.cases.record(reference);
    // Live state from the workflow; the projection still answers if Temporal is away.
    return this.detail(record, this.cases.live(record));
  }

  /** A human event, sent through its line of the event table; answers the case as it now stands. */
  async event(event: CaseEvent<ComplaintState>, reference: string, req: Request) {
    const { record, live } = await event.send(this.cases, reference, req);
    return this.detail(record, Promise.resolve(live));
  }

  private async detail(record: ComplaintRecord, liveState: Promise<ComplaintState | null>) {
    const [live, timeline] = await Promise.all([liveState, this.cases.timeline(record._id)]);
    return {
      ...toView(record, londonDate(Date.now())),
      ...(live ? { deadlines: live.deadlines } : {}),
      summary: record.summary,
      complainant: record.complainant ?? undefined,
      communicationNotes: record.communicationNotes,
      leadBody: record.leadBody,
      otherBodies: record.otherBodies,
      live,
      timeline,
    };
  }
}
