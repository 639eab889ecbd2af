import { createHash } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { londonDate } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { closureDates, Models } from '../../models';
import { ComplaintRecord } from '../../models/complaint';
import { isDuplicateKey } from '../../models/connection';
import { nextSequence } from '../../models/support';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import {
  complaintWorkflowId,
  ComplaintState,
  DEFAULTS,
  stateQuery,
} from '../../workflows/complaint/definitions';
import { badRequest, HttpError } from '../errors';
import { CreateComplaintBody, ListComplaintsQuery } from './schemas';

export interface ServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** Longest a request waits on Temporal before answering 503. */
  temporalTimeoutMs?: number;
}

const FINISHED = ['closed', 'referred_to_ombudsman', 'completed'];

/** What a client sees of a case: the record, with the list's overdue flag worked out today. */
export function toView(record: ComplaintRecord, today: string) {
  const state = record.workflow as ComplaintState | undefined;
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
    deadlines: state?.deadlines ?? {},
    outcome: record.outcome ?? null,
  };
}

export class ComplaintService {
  constructor(private readonly deps: ServiceDeps) {}

  private withTemporal<R>(fn: () => Promise<R>): Promise<R> {
    return this.deps.temporal.withDeadline(Date.now() + (this.deps.temporalTimeoutMs ?? 10_000), fn);
  }

  /**
   * Open a case and start its workflow. The record is written first (the only
   * place the complainant's details live) in status 'opening'; if the workflow
   * cannot be started the record is removed again, so neither exists alone.
   */
  async create(body: CreateComplaintBody, idempotencyKey?: string): Promise<{ replayed: boolean; view: ReturnType<typeof toView> }> {
    const { Complaint, Provider, IdempotencyKey } = this.deps.models;
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const keyId = idempotencyKey ? `complaints:${idempotencyKey}` : undefined;
    if (keyId) {
      const seen = await IdempotencyKey.findById(keyId).lean();
      if (seen) return { replayed: true, view: await this.replay(seen, requestHash) };
    }
    if (!(await Provider.exists({ _id: body.providerCode, active: true }))) {
      throw badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`);
    }
    const acknowledgement = planDeadline(
      { kind: 'acknowledgement', from: body.receivedAt, workingDays: DEFAULTS.acknowledgementWorkingDays },
      await closureDates(this.deps.models),
    );
    const year = londonDate(Date.now()).slice(0, 4);
    const reference = `CMP-${year}-${String(await nextSequence(this.deps.models.connection, `complaint:${year}`)).padStart(6, '0')}`;
    if (keyId) {
      try {
        await IdempotencyKey.create({ _id: keyId, requestHash, reference, createdAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const seen = await IdempotencyKey.findById(keyId).lean();
        return { replayed: true, view: await this.replay(seen!, requestHash) };
      }
    }
    const { receivedAt, ...fields } = body;
    const workflowId = complaintWorkflowId(reference);
    try {
      await Complaint.create({ _id: reference, ...fields, receivedOn: receivedAt, status: 'opening', acknowledgeBy: acknowledgement.dueOn, workflowId });
      await this.start(reference, body, acknowledgement);
    } catch (err) {
      await Promise.allSettled([
        Complaint.deleteOne({ _id: reference, status: 'opening' }),
        keyId ? IdempotencyKey.deleteOne({ _id: keyId }) : Promise.resolve(),
      ]);
      throw err;
    }
    // The workflow's own projection may already have moved it on; only lift 'opening'.
    await Complaint.updateOne({ _id: reference, status: 'opening' }, { $set: { status: 'received', nextDueOn: acknowledgement.dueOn, nextDeadlineKind: 'acknowledgement' } });
    const view = toView((await Complaint.findById(reference).lean())!, londonDate(Date.now()));
    // Until the workflow's first projection lands, the deadline planned here is the one in force.
    if (!view.deadlines.acknowledgement) view.deadlines = { ...view.deadlines, acknowledgement };
    return { replayed: false, view };
  }

  private async start(reference: string, body: CreateComplaintBody, acknowledgement: ReturnType<typeof planDeadline>) {
    try {
      await this.withTemporal(() =>
        this.deps.temporal.workflow.start(complaintWorkflow, {
          workflowId: complaintWorkflowId(reference),
          taskQueue: this.deps.taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // Ids, dates and flags only: no complainant details in the history.
          args: [{ reference, providerCode: body.providerCode, receivedOn: body.receivedAt, consentToShare: body.consentToShare, acknowledgement }],
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** The same key again: the same request answers the same case; another request is refused. */
  private async replay(seen: { requestHash: string; reference: string }, requestHash: string) {
    if (seen.requestHash !== requestHash) {
      throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    }
    const record = await this.deps.models.Complaint.findById(seen.reference).lean();
    if (!record || record.status === 'opening') {
      throw new HttpError(409, 'in_progress', 'a request with this Idempotency-Key is still being processed');
    }
    return toView(record, londonDate(Date.now()));
  }

  async list(query: ListComplaintsQuery) {
    const today = londonDate(Date.now());
    const filter: Record<string, unknown> = {};
    if (query.status === 'open') filter.status = { $nin: [...FINISHED, 'opening'] };
    else filter.status = query.status ?? { $ne: 'opening' };
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

  private async record(reference: string) {
    const record = await this.deps.models.Complaint.findById(reference).lean();
    if (!record || record.status === 'opening') throw new HttpError(404, 'not_found', `no case ${reference}`);
    return record;
  }

  async get(reference: string) {
    const record = await this.record(reference);
    const [live, timeline] = await Promise.all([
      // Live state from the workflow; the projection still answers if Temporal is away.
      this.withTemporal(() => this.deps.temporal.workflow.getHandle(record.workflowId).query(stateQuery)).catch(() => null),
      this.deps.models.Timeline.find({ reference }).sort({ seq: 1 }).lean(),
    ]);
    return {
      ...toView(record, londonDate(Date.now())),
      ...(live ? { deadlines: live.deadlines } : {}),
      summary: record.summary,
      complainant: record.complainant ?? undefined,
      communicationNotes: record.communicationNotes,
      leadBody: record.leadBody,
      otherBodies: record.otherBodies,
      live,
      timeline: timeline.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), data: e.data ?? {} })),
    };
  }

  /** Send a human event to the case's workflow and answer with the case as it now stands. */
  async event<I>(reference: string, update: UpdateDefinition<ComplaintState, [I]>, input: I) {
    const record = await this.record(reference);
    try {
      await this.withTemporal(() => this.deps.temporal.workflow.getHandle(record.workflowId).executeUpdate(update, { args: [input] }));
    } catch (err) {
      // The record exists, so a missing workflow means it has run its course.
      if (err instanceof WorkflowNotFoundError) {
        throw new HttpError(409, 'conflict', `case ${reference} is ${record.status}; no further events can be recorded`);
      }
      throw err;
    }
    return this.get(reference);
  }
}
