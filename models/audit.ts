import { randomUUID } from 'node:crypto';
import { Connection, InferSchemaType, Schema } from 'mongoose';
import { KEY_END } from './case-index';

/**
 * The audit trail: who (and in which role) changed what, or read whose personal details, when,
 * on which record. Append-only: this module writes entries and reads them, and nothing else;
 * in production the API's database user may only find and insert in it (docker-compose's
 * mongo-init). Entries are keyed `<record>|<at>|<uuid>`, so one record's trail is an `_id` range.
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
    /** The answer's status, for changes (recorded once answered); reads are recorded before. */
    status: Number,
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

export async function appendAudit(model: AuditModel, entry: Omit<AuditEntry, '_id'>): Promise<void> {
  await model.collection.insertOne({ _id: `${entry.record}|${entry.at.toISOString()}|${randomUUID()}`, ...entry } as never);
}

/** A record's trail, oldest first. */
export function auditOf(model: AuditModel, record: string, limit: number): Promise<AuditEntry[]> {
  return model
    .find({ _id: { $gte: `${record}|`, $lt: `${record}|${KEY_END}` } })
    .sort({ _id: 1 })
    .limit(limit)
    .lean<AuditEntry[]>();
}
