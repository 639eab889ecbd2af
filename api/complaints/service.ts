import { createHash } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { complaintWorkflowInput, ensureComplaintWorkflow, type StartableRecord } from '../../activities/complaint/start';
import type { UpdateDefinition } from '@temporalio/common';
import { londonDate } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { Models } from '../../models';
import { ComplaintRecord } from '../../models/complaint';
import { isDuplicateKey } from '../../models/connection';
import { ReferenceAllocator } from '../../models/references';
import type { ReferenceData } from '../reference-data';
import {
  complaintWorkflowId,
  ComplaintState,
  ComplaintWorkflowInput,
  DEFAULTS,
  stateQuery,
} from '../../workflows/complaint/definitions';
import { badRequest, HttpError } from '../errors';
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

const FINISHED = ['closed', 'referred_to_ombudsman', 'completed'];

/**
 * An Idempotency-Key row naming no record this long after the longest a create may wait on
 * Temporal belongs to a request that died: a live one has answered by then (its database calls
 * fail within seconds).
 */
const STALE_KEY_MARGIN_MS = 30_000;

/** The SHA-256 of a parsed request: what an Idempotency-Key is checked against. */
export const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

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
  private readonly references: ReferenceAllocator;
  private readonly temporal: TemporalCalls;

  constructor(private readonly deps: ServiceDeps) {
    this.references = new ReferenceAllocator(deps.models.ReferenceBlock);
    this.temporal = deps.calls;
  }

  /**
   * Open a case and start its workflow. The record (the only place the
   * complainant's details live) is written first, claiming its reference; if
   * the workflow cannot be started the record is removed again, so neither
   * stays without the other.
   */
  async create(body: CreateComplaintBody, idempotencyKey?: string): Promise<{ replayed: boolean; view: ReturnType<typeof toView> }> {
    const { IdempotencyKey } = this.deps.models;
    const requestHash = hashOf(body);
    const key = idempotencyKey ? { id: `complaints:${idempotencyKey}`, requestHash } : undefined;
    // No read of the key first: writing it finds a repeat (see claimReference).
    const [activeProvider, closures] = await Promise.all([
      this.deps.referenceData.isActiveProvider(body.providerCode),
      this.deps.referenceData.closureDates(),
    ]);
    if (!activeProvider) {
      // A repeat of a request that opened its case before the provider was deactivated.
      const seen = key && (await IdempotencyKey.findById(key.id).lean());
      const view = seen && (await this.replay(seen, requestHash));
      if (view) return { replayed: true, view };
      throw badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`);
    }
    const acknowledgement = planDeadline(
      { kind: 'acknowledgement', from: body.receivedAt, workingDays: DEFAULTS.acknowledgementWorkingDays },
      closures,
    );
    const { receivedAt, ...fields } = body;
    const claim = () => this.claimReference(
      (reference) => ({
        _id: reference,
        ...fields,
        receivedOn: receivedAt,
        status: 'received',
        acknowledgeBy: acknowledgement.dueOn,
        nextDueOn: acknowledgement.dueOn,
        nextDeadlineKind: 'acknowledgement',
        workflowId: complaintWorkflowId(reference),
        // Kept so a repeat, or the reconciler, can start the same workflow if this request dies.
        workflowInput: {
          reference,
          providerCode: body.providerCode,
          receivedOn: receivedAt,
          consentToShare: body.consentToShare,
          acknowledgement,
        } satisfies ComplaintWorkflowInput,
      }),
      key,
    );
    let record = await claim();
    for (let pass = 0; !record; pass++) {
      // The key is taken: this is a repeat, or a concurrent retry. That request owns the case,
      // unless it died before writing it: then its stale key is withdrawn and this one claims.
      const view = await this.replay(await IdempotencyKey.findById(key!.id).lean(), requestHash);
      if (view) return { replayed: true, view };
      if (pass > 0) throw new HttpError(409, 'in_progress', 'a request with this Idempotency-Key is still being processed');
      record = await claim();
    }
    try {
      await this.ensureWorkflow(record);
    } catch (err) {
      await this.withdraw(record._id, { record: true, key });
      // A start that timed out may still have happened. Terminating it here could not be awaited
      // (the answer would outlast its deadline, and a Temporal that is away would refuse it
      // anyway), and a call left running past the request outlived the client that made it. The
      // reconciler terminates a workflow whose record is gone, and clears what it wrote.
      throw err;
    }
    const view = toView(record, londonDate(Date.now()));
    // Until the workflow's first projection lands, the deadline planned here is the one in force.
    view.deadlines = { acknowledgement };
    return { replayed: false, view };
  }

  /**
   * Take the next CMP-YYYY-NNNNNN by inserting the record under it, after the Idempotency-Key
   * naming it, if any. The key goes first so that no record is ever left without the key that
   * finds it: a request that dies between the two leaves only a key row naming no record, which
   * goes stale (see replay). The allocator's numbers are this process's alone, but the unique _id
   * decides: a number already used by a record written outside the allocator (say, before it
   * existed) is skipped with its block, and the key row withdrawn. Null when another request
   * holds the key: it owns the case.
   */
  private async claimReference(
    build: (reference: string) => Record<string, unknown>,
    key?: { id: string; requestHash: string },
  ): Promise<ComplaintRecord | null> {
    const { Complaint, IdempotencyKey } = this.deps.models;
    const year = londonDate(Date.now()).slice(0, 4);
    const series = `complaint:${year}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      const seq = await this.references.next(series);
      const reference = `CMP-${year}-${String(seq).padStart(6, '0')}`;
      if (key) {
        try {
          await IdempotencyKey.create({ _id: key.id, requestHash: key.requestHash, reference, createdAt: new Date() });
        } catch (err) {
          if (isDuplicateKey(err)) return null;
          throw err;
        }
      }
      try {
        return (await Complaint.create(build(reference))).toObject() as ComplaintRecord;
      } catch (err) {
        await this.withdraw(reference, { record: false, key });
        if (!isDuplicateKey(err)) throw err;
        this.references.discard(series, seq);
      }
    }
    throw new HttpError(503, 'unavailable', 'could not allocate a case reference; try again');
  }

  /** Removes what this request wrote under `reference`: its record, its Idempotency-Key row. */
  private async withdraw(reference: string, written: { record: boolean; key?: { id: string } }): Promise<void> {
    const { Complaint, IdempotencyKey } = this.deps.models;
    await Promise.allSettled([
      written.record && Complaint.deleteOne({ _id: reference }),
      written.key && IdempotencyKey.deleteOne({ _id: written.key.id, reference }),
    ]);
  }

  /** Start the case's workflow unless it runs or has run (see ensureComplaintWorkflow). */
  async ensureWorkflow(record: StartableRecord) {
    const input = await complaintWorkflowInput(record, () => this.deps.referenceData.closureDates());
    await ensureComplaintWorkflow(this.deps.temporal, { taskQueue: this.deps.taskQueue, workflowId: record.workflowId, input }, (fn) =>
      this.temporal.call(fn),
    );
  }

  /**
   * The same key again: the same request answers the same case; another request is refused.
   * Null when the key is stale (it names no record, and is older than any live request can be:
   * its request died between the key and the record) and has been withdrawn for a fresh claim.
   */
  private async replay(seen: { _id: string; requestHash: string; reference: string; createdAt: Date } | null, requestHash: string) {
    const inProgress = () => new HttpError(409, 'in_progress', 'a request with this Idempotency-Key is still being processed', undefined, { 'Retry-After': '1' });
    // Gone again: the request holding the key withdrew it to retry under another number.
    if (!seen) throw inProgress();
    if (seen.requestHash !== requestHash) {
      throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    }
    const { Complaint, IdempotencyKey } = this.deps.models;
    const record = await Complaint.findById(seen.reference).lean();
    if (!record) {
      if (Date.now() - seen.createdAt.getTime() < this.temporal.deadlines.timeoutMs + STALE_KEY_MARGIN_MS) throw inProgress();
      await IdempotencyKey.deleteOne({ _id: seen._id, reference: seen.reference, createdAt: seen.createdAt });
      return null;
    }
    // The first request may have died between the record and the start: never answer for a
    // case that has no workflow.
    await this.ensureWorkflow(record);
    return toView(record, londonDate(Date.now()));
  }

  async list(query: ListComplaintsQuery) {
    const today = londonDate(Date.now());
    const filter: Record<string, unknown> = {};
    if (query.status === 'open') filter.status = { $nin: FINISHED };
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

  private async record(reference: string) {
    const record = await this.deps.models.Complaint.findById(reference).lean();
    if (!record) throw new HttpError(404, 'not_found', `no case ${reference}`);
    return record;
  }

  async get(reference: string) {
    const record = await this.record(reference);
    // Live state from the workflow; the projection still answers if Temporal is away.
    const live = this.temporal
      .askWorkflow(() => this.deps.temporal.workflow.getHandle(record.workflowId).query(stateQuery), this.temporal.deadlines.queryTimeoutMs)
      .catch(() => null);
    return this.detail(record, live);
  }

  private async detail(record: ComplaintRecord, liveState: Promise<ComplaintState | null>) {
    const [live, timeline] = await Promise.all([
      liveState,
      this.deps.models.Timeline.find({ reference: record._id }).sort({ seq: 1 }).lean(),
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

  /**
   * Send a human event to the case's workflow and answer with the case as it now stands. With an
   * Idempotency-Key the Update's id is derived from it, the event and the body, so a retry (of a
   * 503, say, where the event may yet be applied) answers the first attempt's result and applies
   * nothing twice; the same key with another body is another request.
   */
  async event<I>(reference: string, update: UpdateDefinition<ComplaintState, [I]>, input: I, idempotencyKey?: string) {
    const record = await this.record(reference);
    const updateId = idempotencyKey && `${update.name}:${hashOf(input).slice(0, 16)}:${idempotencyKey}`;
    let live: ComplaintState;
    try {
      live = await this.temporal.askWorkflow(() =>
        this.deps.temporal.workflow.getHandle(record.workflowId).executeUpdate(update, { args: [input], ...(updateId ? { updateId } : {}) }),
      );
    } catch (err) {
      // The record exists, so a missing workflow means it has run its course.
      if (err instanceof WorkflowNotFoundError) {
        throw new HttpError(409, 'conflict', `case ${reference} is ${record.status}; no further events can be recorded`);
      }
      throw err;
    }
    // The Update answers with the state it left, and the handler wrote the projection before answering.
    return this.detail(await this.record(reference), Promise.resolve(live));
  }
}
