import { Connection, Schema } from 'mongoose';

/**
 * One run of the import (api/import/engine.ts) and its report: each row accepted, imported, found
 * imported already, or refused with each field and reason. Source ids, references and reasons
 * only: the rows' personal details went to the records, never here.
 */
const importRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    file: { type: String, required: true },
    dryRun: { type: Boolean, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
    sheets: { type: Schema.Types.Mixed, default: [] },
    rows: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, minimize: false },
);
importRunSchema.index({ startedAt: -1 });

export function importRunModel(connection: Connection) {
  return connection.model('ImportRun', importRunSchema, 'import_runs');
}
