import { Connection, Schema } from 'mongoose';

/** A case the reconciler looks at again at its next run, whatever changes meanwhile: why, and since when. */
export interface Doubt {
  reference: string;
  reason: string;
  since: Date;
}

/** Where a process's scheduled reconciler got to (activities/kernel/reconcile-activities.ts): one document per process. */
export interface ReconcilerState {
  _id: string;
  /** Every change made before this has been reconciled: the next run reads from here (less a margin). */
  watermark: Date;
  /** The day-long sweep over every record: the last reference swept, and how many records the last whole cycle held. */
  sweep: { cursor: string; cycleStartedAt: Date; seen: number; total?: number };
  doubts: Doubt[];
  updatedAt: Date;
}

const reconcilerStateSchema = new Schema(
  {
    _id: { type: String, required: true }, // the process's name
    watermark: { type: Date, required: true },
    sweep: { type: Schema.Types.Mixed, required: true },
    doubts: { type: Schema.Types.Mixed, default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export function reconcilerStateModel(connection: Connection) {
  return connection.model('ReconcilerState', reconcilerStateSchema, 'reconciler_state');
}
