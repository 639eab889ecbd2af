import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type mongoose from 'mongoose';
import { ensureCaseWorkflow } from '../../records/kernel/start';
import type { Models } from '../../models';
import { KEY_END } from '../../models/case-index';
import { caseWorkflowId, type CaseProcess, type TimelineEntry } from '../../workflows/kernel/contract';
import { HttpError } from '../errors';
import type { TemporalCalls } from '../temporal';
import { CaseOpener, hashOf, type OpenCase } from './open-case';

export { hashOf };

/** The fields every case record has, whatever its process. */
export interface CaseRecord extends Record<string, unknown> {
  _id: string;
  status: string;
  workflowId: string;
  /** The list index entries it is under (models/case-index.ts). */
  indexKeys?: string[] | null;
  /** Its entry in the reconciler's list of changes (records/kernel/changes.ts). */
  changedKey?: string | null;
}

export interface CasesDeps<R extends CaseRecord, S> {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** The app's bounded calls to Temporal (see ../temporal.ts). */
  calls: TemporalCalls;
  process: CaseProcess;
  /** The process's records, keyed by reference. */
  // Any model: its schema's casting and defaults apply; what is read back is typed R.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stateQuery: QueryDefinition<S>;
  /** What the record's workflow is started with, from the record. */
  workflowInput(record: R): Promise<unknown>;
  /** The state a finished case's workflow ended with, as its record's projection holds it (see revive). */
  finalState?(record: R): S | undefined;
}

/**
 * What every process's API does to its cases: open one (a reference, an Idempotency-Key, the
 * record, then its workflow, withdrawn if the workflow cannot be started), read one with its live
 * state and timeline, and send it a human event. A process adds its own record, views and lists.
 */
export class Cases<R extends CaseRecord, S> {
  private readonly opener: CaseOpener<R>;

  constructor(readonly deps: CasesDeps<R, S>) {
    this.opener = new CaseOpener<R>(deps, { workflowId: (reference) => this.workflowId(reference), ensureWorkflow: (record) => this.ensureWorkflow(record) });
  }

  workflowId(reference: string): string {
    return caseWorkflowId(this.deps.process.name, reference);
  }

  /** Open a case and start its workflow, once per Idempotency-Key (see CaseOpener.open). */
  open(opts: OpenCase): Promise<{ replayed: boolean; record: R }> {
    return this.opener.open(opts);
  }

  /** Start the case's workflow unless it runs or has run (see ensureCaseWorkflow). */
  async ensureWorkflow(record: R): Promise<void> {
    const { temporal, taskQueue, process, calls } = this.deps;
    const input = await this.deps.workflowInput(record);
    await ensureCaseWorkflow(temporal, { process, taskQueue, workflowId: record.workflowId, input }, (fn) => calls.call(fn));
  }

  async record(reference: string): Promise<R> {
    const record = await this.deps.model.findById(reference).lean<R>();
    if (!record) throw new HttpError(404, 'not_found', `no case ${reference}`);
    return record;
  }

  /** The case's live state from its workflow, or null when Temporal does not answer in time. */
  live(record: R): Promise<S | null> {
    const { calls, temporal, stateQuery } = this.deps;
    return calls
      .askWorkflow(() => temporal.workflow.getHandle(record.workflowId).query(stateQuery), calls.deadlines.queryTimeoutMs)
      .catch(() => null);
  }

  async timeline(reference: string): Promise<TimelineEntry[]> {
    // By the range of its keys (`reference:seq`), which every engine reads from its _id index; a
    // filter on `reference` scans the timeline of every case ever opened on the embedded FerretDB.
    const rows = await this.deps.models.Timeline.find({ _id: { $gte: `${reference}:`, $lt: `${reference}:${KEY_END}` } }).lean();
    rows.sort((a, b) => a.seq - b.seq);
    return rows.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), ...(e.actor && { actor: e.actor }), data: e.data ?? {} }));
  }

  /**
   * Send a human event to the case's workflow: the record as it now stands, and the state the
   * Update left. With an Idempotency-Key the Update's id is derived from it, the event and the
   * body, so a retry (of a 503, say, where the event may yet be applied) answers the first
   * attempt's result and applies nothing twice; the same key with another body is another request.
   * An event that `revives` is taken by a finished case too: its workflow is resumed for it.
   */
  async event<I>(
    reference: string,
    update: UpdateDefinition<S, [I]>,
    input: I,
    opts: { idempotencyKey?: string; revives?: boolean } = {},
  ): Promise<{ record: R; live: S }> {
    const record = await this.record(reference);
    const updateId = opts.idempotencyKey && `${update.name}:${hashOf(input).slice(0, 16)}:${opts.idempotencyKey}`;
    const send = (runId?: string) =>
      this.deps.calls.askWorkflow(() =>
        this.deps.temporal.workflow.getHandle(record.workflowId, runId).executeUpdate(update, { args: [input], ...(updateId ? { updateId } : {}) }),
      );
    let live: S;
    try {
      live = await send();
    } catch (err) {
      // The record exists, so a missing workflow means it has run its course.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const revived = opts.revives ? await this.revive(record) : false;
      if (revived === false) throw new HttpError(409, 'conflict', `case ${reference} is ${record.status}; no further events can be recorded`);
      live = await send(revived);
    }
    // The Update answers with the state it left, and the handler wrote the projection before answering.
    return { record: await this.record(reference), live };
  }

  /**
   * Resume a finished case's workflow for a late event (the Ombudsman may take a complaint years
   * on): a new run under the same id, from the state the last one ended with (its record's
   * projection, written before it ended) and the timeline's last entry, so entries go on from
   * there. The run waits a while for the event (REVIVAL_WAIT) and ends again if it is refused.
   * Two requests racing both find it running; the event's own rules let one through. The run the
   * event goes to (its id, or undefined for whichever runs now); false when the record holds no
   * final state to resume from.
   */
  private async revive(record: R): Promise<string | undefined | false> {
    const state = this.deps.finalState?.(record);
    if (!state || typeof record.projectionVersion !== 'number') return false;
    const seq = (await this.timeline(record._id)).at(-1)?.seq ?? 0;
    const input = { ...((await this.deps.workflowInput(record)) as object), snapshot: { meta: { seq, version: record.projectionVersion, fired: [] }, case: state } };
    const { temporal, taskQueue, process, calls } = this.deps;
    try {
      const handle = await calls.call(() =>
        temporal.workflow.start(process.workflowType, {
          workflowId: record.workflowId,
          taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          // The earlier run has completed; a running one is the revival another request started.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          args: [input],
        }),
      );
      return handle.firstExecutionRunId;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return undefined;
    }
  }
}
