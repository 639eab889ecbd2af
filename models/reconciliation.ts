import { Connection, Schema } from 'mongoose';

/** What one run of the reconciler found and repaired (activities/kernel/reconcile-activities.ts). */
const reconciliationSchema = new Schema(
  {
    _id: { type: String, required: true }, // the run's workflow id and run id: a retried activity writes it once
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    checked: { type: Schema.Types.Mixed, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
    findings: { type: Schema.Types.Mixed, default: [] },
    // Since the resumable pass (activities/kernel/reconcile-report.ts): absent on earlier runs.
    scope: { type: String },
    window: { type: Schema.Types.Mixed },
    sweep: { type: Schema.Types.Mixed },
    cost: { type: Schema.Types.Mixed },
    deferred: { type: Number },
    attempt: { type: Number },
    resumedFrom: { type: String },
    explained: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
);
reconciliationSchema.index({ startedAt: -1 });

export function reconciliationModel(connection: Connection) {
  return connection.model('Reconciliation', reconciliationSchema, 'reconciliations');
}
