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
    /** running (a run from the page, under way or stopped), finished, or failed (its file could not be read). */
    status: { type: String, enum: ['running', 'finished', 'failed'], default: 'finished' },
    finishedAt: { type: Date },
    counts: { type: Schema.Types.Mixed },
    /** A run from the page: its file in the imports GridFS bucket until it finishes, who ran it, how far it is. */
    fileId: { type: Schema.Types.ObjectId },
    actor: { type: Schema.Types.Mixed },
    /** The mapping file the run reads its file through (a source system's headings and words: no personal data). */
    mapping: { type: Schema.Types.Mixed },
    progress: { type: Schema.Types.Mixed },
    /** Written every few seconds while an API process runs it: older than a minute, that process died and the run is taken over. */
    heartbeatAt: { type: Date },
    attempts: { type: Number },
    failure: { type: String },
    sheets: { type: Schema.Types.Mixed, default: [] },
    rows: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, minimize: false },
);
importRunSchema.index({ startedAt: -1 });
importRunSchema.index({ status: 1, heartbeatAt: 1 });

export function importRunModel(connection: Connection) {
  return connection.model('ImportRun', importRunSchema, 'import_runs');
}
