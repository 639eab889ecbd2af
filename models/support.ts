import { Connection, Schema } from 'mongoose';

/** Per-year reference counters (CMP-2026-000123). */
const counterSchema = new Schema({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false });

/** A client's Idempotency-Key, the request it came with and the case it made. */
const idempotencySchema = new Schema(
  {
    _id: String,
    requestHash: { type: String, required: true },
    reference: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/** A local closure day an administrator adds; never a working day. */
const closureDaySchema = new Schema(
  { _id: String, reason: { type: String, required: true } },
  { versionKey: false, timestamps: true },
);

export function counterModel(connection: Connection) {
  return connection.model('Counter', counterSchema, 'counters');
}
export function idempotencyModel(connection: Connection) {
  return connection.model('IdempotencyKey', idempotencySchema, 'idempotency_keys');
}
export function closureDayModel(connection: Connection) {
  return connection.model('ClosureDay', closureDaySchema, 'closure_days');
}

export async function nextSequence(connection: Connection, key: string): Promise<number> {
  const doc = await counterModel(connection)
    .findOneAndUpdate({ _id: key }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
    .lean();
  return doc!.seq;
}
