import { Connection, Schema } from 'mongoose';

/**
 * The case timeline and audit trail, one document per event. Keyed
 * `${reference}:${seq}` so an activity retried by Temporal writes it once.
 */
const timelineSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseType: { type: String, required: true },
    reference: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    /** Who acted; absent when the system did (a deadline's alarm). */
    actor: new Schema({ id: { type: String, required: true }, name: { type: String, required: true }, role: { type: String, required: true } }, { _id: false }),
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);

timelineSchema.index({ reference: 1, seq: 1 });

export function timelineModel(connection: Connection) {
  return connection.model('TimelineEvent', timelineSchema, 'timeline');
}
