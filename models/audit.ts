import { randomUUID } from 'node:crypto';
import { Connection, InferSchemaType, Schema } from 'mongoose';
import { KEY_END } from './case-index';
import { isDuplicateKey } from './connection';

/**
 * The audit trail: who (and in which role) changed what, or read whose personal details, when,
 * on which record. Append-only: this module writes entries and reads them, and nothing else;
 * in production the API's database user may only find and insert in it (docker-compose's
 * mongo-init). Entries are keyed `<record>|<at>|<uuid>` (reads, refusals) or `<record>|<change id>`
 * (changes: a retry of the same change finds its entry there), so one record's trail is an `_id`
 * range, read in the order of `at`.
 */
const auditSchema = new Schema(
  {
    _id: { type: String, required: true },
    record: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: new Schema({ id: String, name: String }, { _id: false }), required: true },
    role: { type: String, required: true },
    action: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    /** The answer's status: a change's (recorded before it is answered), a refusal's; reads are recorded before. */
    status: Number,
    /** A change the API did not live to record, recorded by the reconciler from what the change left (models/audit.ts reconcileChanges). */
    reconciled: Boolean,
  },
  { versionKey: false },
);

export type AuditEntry = InferSchemaType<typeof auditSchema> & { _id: string };

export function auditModel(connection: Connection) {
  // Its own database: a database user can be given find and insert on it and nothing more.
  const db = connection.useDb(`${connection.name}_audit`, { useCache: true });
  return db.model('Audit', auditSchema, 'audit');
}

type AuditModel = ReturnType<typeof auditModel>;

export async function appendAudit(model: AuditModel, entry: Omit<AuditEntry, '_id'>, changeId?: string): Promise<void> {
  const _id = changeId ? `${entry.record}|${changeId}` : `${entry.record}|${entry.at.toISOString()}|${randomUUID()}`;
  try {
    await model.collection.insertOne({ _id, ...entry } as never);
  } catch (err) {
    // The same change again (a retry with its key): its entry is there already.
    if (!changeId || !isDuplicateKey(err)) throw err;
  }
}

/** A record's trail, oldest first. */
export async function auditOf(model: AuditModel, record: string, limit: number): Promise<AuditEntry[]> {
  const entries = await model
    .find({ _id: { $gte: `${record}|`, $lt: `${record}|${KEY_END}` } })
    .lean<AuditEntry[]>();
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a._id.localeCompare(b._id)).slice(0, limit);
}

/**
 * A change under way: written before the change is made, removed once its audit entry is. One
 * left behind belongs to a request that died (or whose database went away) between the change
 * and its entry: the reconciler finds out whether the change happened and records it if so.
 * In the case database (not the audit one, where nothing is ever removed).
 */
const pendingSchema = new Schema(
  {
    _id: { type: String, required: true }, // the change id
    at: { type: Date, required: true },
    /** The record, when the route names one (a create's is known only once answered). */
    record: String,
    /** `/api/complaints`: the process's API, for a create's Idempotency-Key row. */
    base: { type: String, required: true },
    idempotencyKey: String,
    entry: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);

export function pendingChangeModel(connection: Connection) {
  return connection.model('PendingChange', pendingSchema, 'audit_pending');
}

type PendingModel = ReturnType<typeof pendingChangeModel>;
export type PendingChange = InferSchemaType<typeof pendingSchema> & { _id: string; entry: Omit<AuditEntry, '_id' | 'record' | 'at'> };

export async function openChange(model: PendingModel, change: PendingChange): Promise<void> {
  try {
    await model.collection.insertOne(change as never);
  } catch (err) {
    // A retry of the same change: the first attempt's is still open.
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * The notes of changes answered, removed together: one delete as the event loop turns, for every
 * change answered in that turn (a create costs one command less; a note left behind by a
 * process that stopped first is the reconciler's, as any other). Resolves once its batch is gone.
 */
const closing = new WeakMap<PendingModel, { ids: string[]; done: Promise<void> }>();

export function closeChange(model: PendingModel, changeId: string): Promise<void> {
  let batch = closing.get(model);
  if (!batch) {
    const ids: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        closing.delete(model);
        model.deleteMany({ _id: { $in: ids } }).then(() => resolve(), reject);
      });
    });
    batch = { ids, done };
    closing.set(model, batch);
  }
  batch.ids.push(changeId);
  return batch.done;
}

export interface ChangeEvidence {
  /** The timeline entry a case's event left: by this actor, at or after the attempt. */
  eventAt(reference: string, actorId: string, since: Date): Promise<Date | undefined>;
  /** The case a create's Idempotency-Key opened, if it opened one. */
  createdBy(base: string, idempotencyKey: string): Promise<string | undefined>;
}

export interface ReconciledChanges {
  checked: number;
  recorded: number;
  notMade: number;
  unknown: number;
}

/**
 * Changes whose request died before its audit entry was written, older than `graceMs`: a case's
 * event is recorded when the case's timeline shows it (by the same person, after the attempt), a
 * create when its Idempotency-Key opened a case; one that left nothing did not happen and is
 * dropped. What cannot be told (a create without a key, a change to reference data) is recorded
 * with its outcome unknown (status 0), never as done.
 */
export async function reconcileChanges(models: { Audit: AuditModel; PendingChange: PendingModel }, evidence: ChangeEvidence, graceMs: number, now = new Date()): Promise<ReconciledChanges> {
  const result: ReconciledChanges = { checked: 0, recorded: 0, notMade: 0, unknown: 0 };
  const open = await models.PendingChange.find({ at: { $lt: new Date(now.getTime() - graceMs) } }).limit(1_000).lean<PendingChange[]>();
  for (const change of open) {
    result.checked++;
    const entry = change.entry;
    let record = change.record ?? undefined;
    let at: Date | undefined;
    let status: number | undefined;
    if (record && entry.method === 'POST' && /\/:event$/.test(String(entry.path))) {
      at = await evidence.eventAt(record, String(entry.actor.id), new Date(change.at.getTime() - 1_000));
      status = at ? 200 : undefined;
    } else if (!record && change.idempotencyKey) {
      record = await evidence.createdBy(change.base, change.idempotencyKey);
      at = record ? change.at : undefined;
      status = record ? 201 : undefined;
    } else {
      at = change.at;
      status = 0;
    }
    if (at && record !== undefined) {
      await appendAudit(models.Audit, { ...entry, record, at, status, reconciled: true }, change._id);
      if (status) result.recorded++;
      else result.unknown++;
    } else if (at) {
      await appendAudit(models.Audit, { ...entry, record: change.base, at, status: 0, reconciled: true }, change._id);
      result.unknown++;
    } else {
      result.notMade++;
    }
    await closeChange(models.PendingChange, change._id);
  }
  return result;
}
