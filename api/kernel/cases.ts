import type { UpdateDefinition } from '@temporalio/common';
import { KEY_END } from '../../models/case-index';
import { caseWorkflowId, type TimelineEntry } from '../../contracts/kernel/case';
import type { CaseAnswer } from '../../contracts/kernel/commit';
import { sendCaseEvent } from './case-event';
import { HttpError } from '../errors';
import type { CaseRecord, CasesDeps } from './deps';
import { freshnessOf, type Freshness } from './freshness';
import { CaseOpening, type OpenCase } from './opening';

export { hashOf } from './opening';
export type { CaseRecord, CasesDeps } from './deps';

/**
 * How long a view waits for the live state of a case whose workflow has not yet projected any (the
 * page a new case's form goes to, a moment after it was opened): its first projection lands within
 * a second or two, and until it does only the Query knows what the case offers.
 */
const UNPROJECTED_WAIT_MS = 2_000;
/**
 * A case unprojected longer than this after it was opened is not a moment old: its worker is behind
 * (a backlog after an outage, a morning storm) or down, and waiting would only make its view slow too.
 */
const JUST_OPENED_MS = 10_000;

/**
 * What every process's API does to its cases: open one (a reference, an Idempotency-Key, the
 * record, then its workflow, withdrawn if the workflow cannot be started), read one with its live
 * state and timeline, and send it a human event. A process adds its own record, views and lists.
 */
export class Cases<R extends CaseRecord, S> {
  private readonly opening: CaseOpening<R>;

  constructor(readonly deps: CasesDeps<R, S>) {
    this.opening = new CaseOpening<R>(deps);
  }

  /** Open a case and start its workflow (see CaseOpening.open). */
  open(opts: OpenCase): Promise<{ replayed: boolean; record: R }> {
    return this.opening.open(opts);
  }

  /** Start the case's workflow unless it runs or has run (see ensureCaseWorkflow). */
  ensureWorkflow(record: R): Promise<void> {
    return this.opening.ensureWorkflow(record);
  }

  workflowId(reference: string): string {
    return caseWorkflowId(this.deps.process.name, reference);
  }

  async record(reference: string): Promise<R> {
    const record = await this.deps.model.findById(reference).lean<R>();
    if (!record) throw new HttpError(404, 'not_found', `no case ${reference}`);
    return record;
  }

  /**
   * The case's live state from its workflow, if the Query answers within the budget (else null, at
   * once: the read model answers). A finished case is not asked: its projection is final, and a
   * Query of a closed workflow has a worker replay its whole history.
   */
  live(record: R): Promise<S | null> {
    const { calls, temporal, stateQuery, process } = this.deps;
    if ((process.finished as readonly string[]).includes(record.status)) return Promise.resolve(null);
    // Opened a moment ago, before its first projection: the read model has no state to offer yet.
    const openedAt = record.createdAt instanceof Date ? record.createdAt.getTime() : 0;
    const justOpened = !record.workflow && Date.now() - openedAt < JUST_OPENED_MS;
    const budget = justOpened ? Math.max(calls.deadlines.liveBudgetMs, UNPROJECTED_WAIT_MS) : calls.deadlines.liveBudgetMs;
    return calls.within(() => temporal.workflow.getHandle(record.workflowId).query(stateQuery), budget);
  }

  /**
   * What a case view says of its state: `live` (the Query's answer, or null), `state` (the live
   * state, else the one last projected: what the page offers its events from) and `freshness`.
   */
  stateOf(record: R, live: S | null): { live: S | null; state: S | null; freshness: Freshness } {
    return { live, state: live ?? ((record.workflow as S | undefined) ?? null), freshness: freshnessOf(record, live !== null) };
  }

  async timeline(reference: string): Promise<TimelineEntry[]> {
    // By the range of its keys (`reference:seq`), which every engine reads from its _id index; a
    // filter on `reference` scans the timeline of every case ever opened on the embedded FerretDB.
    const rows = await this.deps.models.Timeline.find({ _id: { $gte: `${reference}:`, $lt: `${reference}:${KEY_END}` } }).lean();
    rows.sort((a, b) => a.seq - b.seq);
    return rows.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), ...(e.actor && { actor: e.actor }), data: e.data ?? {} }));
  }

  /** Send a human event to the case's workflow: the record and the state after it (./case-event.ts). */
  event<I>(
    reference: string,
    update: UpdateDefinition<CaseAnswer<S>, [I]>,
    input: I,
    opts: { idempotencyKey?: string; revives?: boolean } = {},
  ): Promise<{ record: R; live: S }> {
    return sendCaseEvent(this, reference, update, input, opts);
  }
}
