import { claimCase, hashOf, keyRowId, listAndStart, type IdempotencyClaim } from '../../records/kernel/claim';
import { ensureCaseWorkflow } from '../../records/kernel/start';
import { ReferenceAllocator } from '../../models/references';
import { HttpError } from '../errors';
import type { CaseRecord, CasesDeps } from './deps';

/**
 * An Idempotency-Key row naming no record this long after the longest a create may wait on
 * Temporal belongs to a request that died: a live one has answered by then (its database calls
 * fail within seconds).
 */
const STALE_KEY_MARGIN_MS = 30_000;

export { hashOf };

/** What a process asks to open a case with. */
export interface OpenCase {
  body: unknown;
  /** Who is opening it: a key is theirs, and the same key from someone else is another request (422). */
  by: string;
  idempotencyKey?: string;
  refusal?: HttpError;
  build: (reference: string, workflowId: string) => Record<string, unknown>;
}

/**
 * Opening a case, for every process: a reference, an Idempotency-Key, the record, then its
 * workflow, withdrawn if the workflow cannot be started. A repeat answers the case it opened.
 */
export class CaseOpening<R extends CaseRecord> {
  private readonly references: ReferenceAllocator;

  constructor(private readonly deps: CasesDeps<R, unknown>) {
    this.references = new ReferenceAllocator(deps.models.ReferenceBlock);
  }

  /**
   * Open a case and start its workflow. The record (the only place personal details live) is
   * written first, claiming its reference; if the workflow cannot be started the record is
   * removed again, so neither stays without the other. A repeat of the same request with the
   * same Idempotency-Key answers the case it opened, even when the process would now refuse the
   * request (`refusal`: a provider deactivated since, say).
   */
  async open(opts: OpenCase): Promise<{ replayed: boolean; record: R }> {
    const { IdempotencyKey } = this.deps.models;
    const requestHash = hashOf({ body: opts.body, by: opts.by });
    const key = opts.idempotencyKey ? { id: keyRowId(this.deps.process, opts.idempotencyKey), requestHash } : undefined;
    if (opts.refusal) {
      const seen = key && (await IdempotencyKey.findById(key.id).lean());
      const record = seen && (await this.replay(seen, requestHash));
      if (record) return { replayed: true, record };
      throw opts.refusal;
    }
    // No read of the key first: writing it finds a repeat (see claimReference).
    const claim = () => this.claimReference(opts.build, key);
    let record = await claim();
    for (let pass = 0; !record; pass++) {
      // The key is taken: this is a repeat, or a concurrent retry. That request owns the case,
      // unless it died before writing it: then its stale key is withdrawn and this one claims.
      const replayed = await this.replay(await IdempotencyKey.findById(key!.id).lean(), requestHash);
      if (replayed) return { replayed: true, record: replayed };
      if (pass > 0) throw new HttpError(409, 'in_progress', 'a request with this Idempotency-Key is still being processed');
      record = await claim();
    }
    // A start that timed out may still have happened. Terminating it here could not be awaited
    // (the answer would outlast its deadline, and a Temporal that is away would refuse it anyway),
    // and a call left running past the request outlived the client that made it: the reconciler
    // terminates a workflow whose record is gone, and clears what it wrote (see listAndStart).
    await listAndStart(this.deps, record, key, () => this.ensureWorkflow(record));
    return { replayed: false, record };
  }

  /** See claimCase (records/kernel/claim.ts): null when another request holds the key. */
  private claimReference(build: (reference: string, workflowId: string) => Record<string, unknown>, key?: IdempotencyClaim): Promise<R | null> {
    const { models, model, process } = this.deps;
    return claimCase<R>({ models, model, process, references: this.references }, build, key, () => new HttpError(503, 'unavailable', 'could not allocate a case reference; try again'));
  }

  /** Start the case's workflow unless it runs or has run (see ensureCaseWorkflow). */
  async ensureWorkflow(record: R): Promise<void> {
    const { temporal, taskQueue, process, calls } = this.deps;
    const input = await this.deps.workflowInput(record);
    // Unread (the database away a moment), the workflow reads them itself.
    const closures = await this.deps.referenceData?.closureDates().catch(() => undefined);
    await ensureCaseWorkflow(temporal, { process, taskQueue, workflowId: record.workflowId, input, closures }, (fn) => calls.call(fn));
  }

  /**
   * The same key again: the same request answers the same case; another request is refused.
   * Null when the key is stale (it names no record, and is older than any live request can be:
   * its request died between the key and the record) and has been withdrawn for a fresh claim.
   */
  private async replay(seen: { _id: string; requestHash: string; reference: string; createdAt: Date } | null, requestHash: string): Promise<R | null> {
    const inProgress = () => new HttpError(409, 'in_progress', 'a request with this Idempotency-Key is still being processed', undefined, { 'Retry-After': '1' });
    // Gone again: the request holding the key withdrew it to retry under another number.
    if (!seen) throw inProgress();
    if (seen.requestHash !== requestHash) {
      throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    }
    const record = await this.recordOf(seen.reference);
    if (!record) {
      if (Date.now() - seen.createdAt.getTime() < this.deps.calls.deadlines.timeoutMs + STALE_KEY_MARGIN_MS) throw inProgress();
      await this.deps.models.IdempotencyKey.deleteOne({ _id: seen._id, reference: seen.reference, createdAt: seen.createdAt });
      return null;
    }
    // The first request may have died between the record and the start: never answer for a
    // case that has no workflow.
    await this.ensureWorkflow(record);
    return record;
  }

  /**
   * The record a key names. A concurrent retry reads the key a moment after the request holding
   * it wrote it, and usually before that request has written the record: it waits for the record
   * a little (up to 0.75 s) before answering "in progress", so that it can answer the case.
   */
  private async recordOf(reference: string): Promise<R | null> {
    for (const pause of [25, 50, 100, 200, 375, 0]) {
      const record = await this.deps.model.findById(reference).lean<R>();
      if (record || !pause) return record;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return null;
  }
}
