import { Connection, Schema } from 'mongoose';

/** A client's Idempotency-Key, the request it came with and the case it made. */
const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
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

export function idempotencyModel(connection: Connection) {
  return connection.model('IdempotencyKey', idempotencySchema, 'idempotency_keys');
}
export function closureDayModel(connection: Connection) {
  return connection.model('ClosureDay', closureDaySchema, 'closure_days');
}
