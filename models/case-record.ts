import { Schema } from 'mongoose';

/**
 * The fields every case record has (complaints, reviews, visits, action plans), defined once. A
 * record reads: its reference (`_id`) first, then what the API wrote, its `status` and the fields
 * the projection keeps beside it, then the workflow's fields last; each model places `_id` and
 * `status` where they stand in it, since mongoose stores a document's fields in its schema's
 * order.
 */

/** The case's reference, e.g. CMP-2026-000123: the record's `_id`. */
export const caseReference = { type: String, required: true } as const;

/** Where the case stands, as its workflow's projection last wrote it. */
export const caseStatus = { type: String, required: true } as const;

/** What ties a record to its workflow, written by the API when it starts it and by the projection after. */
export const caseWorkflowFields = {
  workflowId: { type: String, required: true },
  /** What the workflow is started with (ids, dates, enums; never personal details): a repeat or the reconciler starts the same. */
  workflowInput: { type: Schema.Types.Mixed },
  /** The workflow's version the projection last wrote; it only moves forward (-1: never projected). */
  projectionVersion: { type: Number, default: -1 },
  /** The list index entries the case is under (models/case-index.ts; an action plan's, its actions' too), moved with each projection. */
  indexKeys: { type: [String], default: [] },
  /** Its entries in the search index (records/search/), moved as the case changes. */
  searchKeys: { type: [String], default: undefined },
  /** Its entry in the reconciler's list of changes (records/kernel/changes.ts), moved with each write. */
  changedKey: { type: String },
  /** The workflow's timeline sequence at the projected version: entries 1..projectedSeq are committed. */
  projectedSeq: { type: Number },
  /** The workflow's state as last projected. */
  workflow: { type: Schema.Types.Mixed },
} as const;

/**
 * Every case record keeps when it was created and last changed, no version key, and its empty
 * objects. Typed as literals but not `as const`, so that mongoose infers each model's types as it
 * did from options written inline.
 */
export const caseRecordOptions: { timestamps: true; versionKey: false; minimize: false } = { timestamps: true, versionKey: false, minimize: false };
